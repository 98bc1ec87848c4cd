// The one way the explorer talks to the server: POST /graphql, the public API, nothing else.

/** Runs a document; resolves to its `data`, or throws an Error with the first error's message. */
export async function gql(document, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const e = body.errors[0];
    const code = e.extensions && e.extensions.code ? ` (${e.extensions.code})` : '';
    throw new Error(`The server answered: ${e.message}${code}`);
  }
  return body.data;
}
