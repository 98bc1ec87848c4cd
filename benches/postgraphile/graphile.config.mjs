// PostGraphile v5 over the Scam Atlas database: the stock "afternoon" setup.
//
// Amber preset (the recommended v5 default) + simplified inflection (`events`
// instead of `allEvents`, `nationality` instead of `countryByNationalityCode`)
// + @graphile/pg-aggregates for grouped totals. Nothing else: no smart tags,
// no custom SQL, no connection-filter plugin, no views or computed columns.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  throw new Error("DATABASE_URL must be set (e.g. postgres://postgres@127.0.0.1:5432/scam_atlas)");
}

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PgAggregatesPreset],
  pgServices: [makePgService({ connectionString, schemas: ["public"] })],
  schema: {
    // Order NULLs last in every orderBy, so "DATE_START_DESC" means newest first with
    // unknown dates at the end, like Scam Atlas's default event order.
    pgOrderByNullsLast: true,
  },
  grafserv: {
    host: process.env.HOST ?? "127.0.0.1",
    port: Number(process.env.PORT ?? 5678),
    graphqlPath: "/graphql",
    graphiql: true,
    graphiqlPath: "/",
    watch: false,
  },
  grafast: {
    explain: false,
  },
};

export default preset;
