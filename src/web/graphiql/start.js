// Starts GraphiQL on this server's /graphql, with the example tabs the page carries, the
// documentation explorer open, and a link to the explorer in its logo. Subscriptions go over
// a WebSocket to the same /graphql (graphql-transport-ws; the headers tab's Authorization is
// sent in connection_init). A file of its own so the page's policy can forbid inline scripts.
(function () {
  'use strict';
  var tabs = JSON.parse(document.getElementById('graphiql-tabs').textContent);
  var socket = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
  var fetcher = GraphiQL.createFetcher({ url: '/graphql', subscriptionUrl: socket });
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
