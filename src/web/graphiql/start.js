// Starts GraphiQL on this server's /graphql, with the example tabs the page carries, the
// documentation explorer open, and a link to the explorer in its logo. A file of its own so
// the page's policy can forbid inline scripts.
(function () {
  'use strict';
  var tabs = JSON.parse(document.getElementById('graphiql-tabs').textContent);
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  var h = React.createElement;
  var logo = h(
    GraphiQL.Logo,
    null,
    'Scam Atlas',
    h('a', { className: 'scam-atlas-explore', href: '/explore' }, 'Open the explorer')
  );
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    h(
      GraphiQL,
      {
        fetcher: fetcher,
        defaultTabs: tabs,
        defaultEditorToolsVisibility: true,
        visiblePlugin: GraphiQL.React.DOC_EXPLORER_PLUGIN,
      },
      logo
    )
  );
})();
