/** The console server's API for the page (sandbox/console/server.ts). */

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (!response.ok && answer.ok === undefined) answer.ok = false;
  return answer;
}

export const api = {
  state: (user) => call('GET', `/console/state?user=${encodeURIComponent(user)}`),
  events: (user) => new EventSource(`/console/events?user=${encodeURIComponent(user)}`),
  command: (user, channel, text) => call('POST', '/console/command', { user, channel, text }),
  click: (user, channel, ts, blockId, actionId) =>
    call('POST', '/console/click', { user, channel, ts, block_id: blockId, action_id: actionId }),
  openHome: (user) => call('POST', '/console/home', { user }),
  homeClick: (user, blockId, actionId) =>
    call('POST', '/console/home-click', { user, block_id: blockId, action_id: actionId }),
  aws: () => call('GET', '/console/aws'),
  traffic: (failure) => call('POST', '/console/traffic', failure),
  act: (act) => call('POST', '/console/act', act),
};
