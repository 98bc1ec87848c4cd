//! Every closed vocabulary of the model, stored as SCREAMING_CASE text so that the same
//! values read alike in SQLite, PostgreSQL, the dataset files and the GraphQL schema.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a text-backed enum whose stored value, serde name and Rust name agree.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        pub enum $name {
            $($(#[$vmeta])* #[sea_orm(string_value = $text)] #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// The stored (and serialised) name of the value.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text,)+ }
            }
        }
    };
}

text_enum! {
    /// What happened in an event; an event has one or more kinds.
    EventKind {
        Raid = "RAID",
        Arrest = "ARREST",
        Detention = "DETENTION",
        Deportation = "DEPORTATION",
        Extradition = "EXTRADITION",
        Release = "RELEASE",
        SiteClosure = "SITE_CLOSURE",
        Seizure = "SEIZURE",
        Investigation = "INVESTIGATION",
        Directive = "DIRECTIVE",
        Report = "REPORT",
        Meeting = "MEETING",
        Statement = "STATEMENT",
        MediaTour = "MEDIA_TOUR",
        Indictment = "INDICTMENT",
        Sanction = "SANCTION",
        Exodus = "EXODUS",
        DiplomaticAction = "DIPLOMATIC_ACTION",
        Warning = "WARNING",
    }
}

text_enum! {
    /// How precisely a date span is known.
    DatePrecision {
        Day = "DAY",
        Week = "WEEK",
        Month = "MONTH",
        Year = "YEAR",
        Range = "RANGE",
        Unknown = "UNKNOWN",
    }
}

text_enum! {
    /// Whether an event or flow has happened or is announced.
    Status {
        Completed = "COMPLETED",
        Planned = "PLANNED",
    }
}

text_enum! {
    /// Level of a place in the gazetteer's hierarchy.
    LocationLevel {
        Country = "COUNTRY",
        Province = "PROVINCE",
        District = "DISTRICT",
        Commune = "COMMUNE",
        City = "CITY",
        Site = "SITE",
    }
}

text_enum! {
    /// How precisely a place's coordinates locate it: the smallest thing they are known to
    /// lie in (a site placed only by its city has CITY precision).
    CoordinatePrecision {
        Site = "SITE",
        City = "CITY",
        Province = "PROVINCE",
        Country = "COUNTRY",
    }
}

text_enum! {
    /// What sort of body an agency is.
    AgencyKind {
        Police = "POLICE",
        Immigration = "IMMIGRATION",
        Ministry = "MINISTRY",
        Military = "MILITARY",
        Commission = "COMMISSION",
        Government = "GOVERNMENT",
        Diplomatic = "DIPLOMATIC",
        LawEnforcement = "LAW_ENFORCEMENT",
        InternationalPolice = "INTERNATIONAL_POLICE",
        Ngo = "NGO",
        UnBody = "UN_BODY",
        Media = "MEDIA",
    }
}

text_enum! {
    /// The part an agency played in an event.
    AgencyRole {
        Arresting = "ARRESTING",
        Raiding = "RAIDING",
        Investigating = "INVESTIGATING",
        Deporting = "DEPORTING",
        Receiving = "RECEIVING",
        Announcing = "ANNOUNCING",
        TipOff = "TIP_OFF",
        Partner = "PARTNER",
        Host = "HOST",
        Ordering = "ORDERING",
        Ordered = "ORDERED",
        Reporting = "REPORTING",
        Critic = "CRITIC",
        Supporter = "SUPPORTER",
        Sanctioning = "SANCTIONING",
        Indicting = "INDICTING",
        Organiser = "ORGANISER",
    }
}

text_enum! {
    /// The part a named person played in an event.
    PersonRole {
        Spokesperson = "SPOKESPERSON",
        Official = "OFFICIAL",
        Ordering = "ORDERING",
        Participant = "PARTICIPANT",
        Subject = "SUBJECT",
    }
}

text_enum! {
    /// The part people in a participant group played.
    ParticipantRole {
        Suspect = "SUSPECT",
        Worker = "WORKER",
        TraffickingVictim = "TRAFFICKING_VICTIM",
        SeniorFigure = "SENIOR_FIGURE",
        ForeignNational = "FOREIGN_NATIONAL",
    }
}

text_enum! {
    /// What happened to the people in a participant group.
    ParticipantStatus {
        Arrested = "ARRESTED",
        Detained = "DETAINED",
        Deported = "DEPORTED",
        Extradited = "EXTRADITED",
        Released = "RELEASED",
        Fled = "FLED",
        Rescued = "RESCUED",
    }
}

text_enum! {
    /// Whether a movement of people was a deportation or an extradition.
    FlowKind {
        Deportation = "DEPORTATION",
        Extradition = "EXTRADITION",
    }
}

text_enum! {
    /// How a source states a figure.
    Qualifier {
        Exact = "EXACT",
        AtLeast = "AT_LEAST",
        MoreThan = "MORE_THAN",
        About = "ABOUT",
        Nearly = "NEARLY",
        AtMost = "AT_MOST",
        Unknown = "UNKNOWN",
    }
}

text_enum! {
    /// How an article relates to the reporting it carries.
    Reporting {
        Original = "ORIGINAL",
        Republished = "REPUBLISHED",
        Pickup = "PICKUP",
        Rewrite = "REWRITE",
    }
}

text_enum! {
    /// What a money figure measures.
    MoneyMeasure {
        Proceeds = "PROCEEDS",
        Losses = "LOSSES",
        AssetsSeized = "ASSETS_SEIZED",
        Fine = "FINE",
    }
}

text_enum! {
    /// What a statistic counts.
    StatisticUnit {
        People = "PEOPLE",
        Sites = "SITES",
        UsDollars = "US_DOLLARS",
    }
}

text_enum! {
    /// The fact of an event that a citation supports.
    CitedFact {
        Kind = "KIND",
        Date = "DATE",
        Status = "STATUS",
        Location = "LOCATION",
        Agency = "AGENCY",
        Person = "PERSON",
    }
}

text_enum! {
    /// How two events are related.
    EventRelation {
        LinkedTo = "LINKED_TO",
        Follows = "FOLLOWS",
        PartOf = "PART_OF",
    }
}

text_enum! {
    /// How a participant group's people relate to a group of another event: one body of
    /// people seen at two stages (arrested, then deported).
    CohortRelation {
        SamePeople = "SAME_PEOPLE",
        PartOf = "PART_OF",
    }
}

text_enum! {
    /// Why a person may be named in the dataset. Private persons never are.
    PersonStanding {
        PublicOfficial = "PUBLIC_OFFICIAL",
        ChargedPrincipal = "CHARGED_PRINCIPAL",
        PrivateIndividual = "PRIVATE_INDIVIDUAL",
    }
}

text_enum! {
    /// What an API key may do.
    Role {
        Contributor = "CONTRIBUTOR",
        Editor = "EDITOR",
        Admin = "ADMIN",
    }
}

text_enum! {
    /// Where a proposed change stands.
    ProposalStatus {
        Pending = "PENDING",
        Published = "PUBLISHED",
        Rejected = "REJECTED",
    }
}

text_enum! {
    /// Where an import job stands.
    ImportJobStatus {
        Queued = "QUEUED",
        Running = "RUNNING",
        Succeeded = "SUCCEEDED",
        Failed = "FAILED",
    }
}

text_enum! {
    /// What a published change did to a record.
    ChangeAction {
        Created = "CREATED",
        Updated = "UPDATED",
        Merged = "MERGED",
        Retracted = "RETRACTED",
    }
}
