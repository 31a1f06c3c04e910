// Kobbopay simulator dashboard. Plain JavaScript, no dependencies. The page itself holds no data: everything comes from
// the simulator's control API under /_sim (and WireMock's /__admin/mappings), which needs the admin token when the
// simulator has one. The token is kept in sessionStorage (this tab only) and sent as "Authorization: Bearer".
// Updates: GET /_sim/ui/version about once a second; the data is fetched again only when that fingerprint changes.
'use strict';

(() => {
  const TOKEN_KEY = 'kobbopay.simulator.adminToken';
  const POLL_MS = 1000;
  const STUBS_EVERY = 5; // polls between two reads of the WireMock stubs (not in the fingerprint)
  const $ = (id) => document.getElementById(id);

  let selectedId = null;
  let lastVersion = null;
  let lastStubs = null;
  let polls = 0;
  let refreshing = null;
  let refreshAgain = false;
  let faultsFilled = false;
  const openRequests = new Set(); // deliveries whose "Show request" is open, kept open across re-renders

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    const t = token();
    if (t) headers.Authorization = 'Bearer ' + t;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'The simulator did not answer (' + e.message + '). Is it still running?');
    }

    if (response.status === 401) {
      showTokenForm();
      throw new ApiError(401, t
        ? 'The admin token was refused (401): check it and enter it again.'
        : 'This simulator needs its admin token (401): enter it in the Admin token field.');
    }

    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch { json = null; }
    }

    if (!response.ok) {
      const message = json && json.error && json.error.message ? json.error.message : (json && json.Status) || text || response.statusText;
      throw new ApiError(response.status, method + ' ' + path + ' failed (' + response.status + '): ' + message);
    }

    return json;
  }

  function say(message) {
    $('status').textContent = message;
  }

  function fail(error) {
    const el = $('error');
    el.textContent = error.message;
    el.hidden = false;
  }

  function clearError() {
    const el = $('error');
    el.hidden = true;
    el.textContent = '';
  }

  function showTokenForm() {
    $('token-section').hidden = false;
  }

  function cell(tr, text, className) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined || text === '' ? '—' : String(text);
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  }

  function button(label, name, onClick, className) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    if (name) b.setAttribute('aria-label', name);
    if (className) b.className = className;
    b.addEventListener('click', onClick);
    return b;
  }

  function replaceRows(table, rows) {
    const body = table.tBodies[0];
    body.replaceChildren(...rows);
  }

  // ---- rendering ----

  function renderPayments(items) {
    const rows = items.map(({ environment, payment: p }) => {
      const tr = document.createElement('tr');
      tr.dataset.paymentId = p.id;
      if (p.id === selectedId) { tr.className = 'selected'; tr.setAttribute('aria-current', 'true'); }
      const idCell = document.createElement('td');
      idCell.appendChild(button(p.id, 'Show payment ' + p.id, () => select(p.id), 'link'));
      tr.appendChild(idCell);
      cell(tr, p.orderId);
      cell(tr, p.status, 'status status-' + p.status);
      cell(tr, p.amount, 'mono');
      cell(tr, p.amountReceived, 'mono');
      cell(tr, p.currency + ' / ' + p.network + (environment === 'test' ? '' : ' (' + environment + ')'));
      cell(tr, p.createdAt, 'mono');
      return tr;
    });
    replaceRows($('payments-table'), rows);
    $('payments-empty').hidden = rows.length > 0;
  }

  function renderDetail(detail) {
    if (!detail) {
      $('detail').hidden = true;
      $('detail-empty').hidden = false;
      $('detail-heading').textContent = 'Payment';
      return;
    }

    const p = detail.payment;
    $('detail-heading').textContent = 'Payment ' + p.id;
    $('detail-empty').hidden = true;
    $('detail').hidden = false;
    const fields = [
      ['Status', p.status], ['Environment', detail.environment], ['Order id', p.orderId], ['Amount', p.amount + ' ' + p.currency],
      ['Received', p.amountReceived], ['Network', p.network], ['Address', p.address], ['Confirmations', p.confirmations],
      ['Created', p.createdAt], ['Expires', p.expiresAt], ['Paid', p.paidAt], ['Confirmed', p.confirmedAt], ['Expired', p.expiredAt],
    ];
    const dl = $('detail-fields');
    dl.replaceChildren(...fields.flatMap(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value === null || value === undefined ? '—' : String(value);
      if (name === 'Status') dd.id = 'detail-status';
      return [dt, dd];
    }));

    replaceRows($('events-table'), detail.events.map((e) => {
      const tr = document.createElement('tr');
      tr.dataset.eventId = e.id;
      cell(tr, e.sequence);
      cell(tr, e.type);
      cell(tr, e.id, 'mono');
      cell(tr, e.createdAt, 'mono');
      const td = document.createElement('td');
      td.appendChild(button('Resend', 'Resend ' + e.id, () => resend(e.id)));
      tr.appendChild(td);
      return tr;
    }));

    const rows = [];
    for (const d of detail.deliveries) {
      const attempts = d.attempts.length ? d.attempts : [null];
      attempts.forEach((a, i) => {
        const tr = document.createElement('tr');
        tr.dataset.delivery = d.id;
        tr.dataset.attempt = a ? String(a.number) : '0';
        cell(tr, d.id, 'mono');
        cell(tr, d.eventType);
        tr.appendChild(target(d));
        cell(tr, d.status, 'status-' + d.status);
        cell(tr, a ? a.number : null);
        cell(tr, a ? (a.statusCode === 0 ? 'no answer' : a.statusCode) : null, 'code');
        cell(tr, a ? Math.round(a.latencyMilliseconds * 10) / 10 : null);
        cell(tr, a ? a.error : null, 'error-text');
        cell(tr, a ? a.fault : null);
        const td = document.createElement('td');
        if (i === 0) td.appendChild(button('Redeliver', 'Redeliver ' + d.id, () => redeliver(d.id)));
        tr.appendChild(td);
        rows.push(tr);
      });
      rows.push(requestRow(d));
    }

    replaceRows($('deliveries-table'), rows);
    $('deliveries-empty').hidden = rows.length > 0;
  }

  // Where a delivery went: its address, with the endpoint id below it (or "one-off address" for a resend to a URL).
  function target(d) {
    const td = document.createElement('td');
    td.className = 'target mono';
    const url = document.createElement('span');
    url.className = 'target-url';
    url.textContent = d.url || d.endpointId || '—';
    const id = document.createElement('span');
    id.className = 'sub';
    id.textContent = d.endpointId || 'one-off address';
    td.title = d.endpointId ? 'Endpoint ' + d.endpointId : 'A one-off address, not a registered endpoint';
    td.append(url, id);
    return td;
  }

  // The request a delivery sent: the headers of its last attempt and its body (pretty-printed), in a disclosure.
  function requestRow(d) {
    const tr = document.createElement('tr');
    tr.className = 'request';
    tr.dataset.requestFor = d.id;
    const td = document.createElement('td');
    td.colSpan = 10;
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Show request';
    const which = document.createElement('span');
    which.className = 'sr-only';
    which.textContent = ' of ' + d.id;
    summary.appendChild(which);
    details.appendChild(summary);
    const last = d.attempts.length ? d.attempts[d.attempts.length - 1] : null;
    const headers = last ? Object.entries(last.requestHeaders || {}) : [];
    details.append(
      labelled('Headers' + (last ? ' of attempt ' + last.number : ''), 'request-headers',
        headers.length ? headers.map(([name, value]) => name + ': ' + value).join('\n') : (last ? 'None: this attempt was never sent.' : 'None: no attempt yet.')),
      labelled('Body', 'request-body', pretty(d.body)));
    details.open = openRequests.has(d.id);
    details.addEventListener('toggle', () => {
      if (details.open) openRequests.add(d.id); else openRequests.delete(d.id);
    });
    td.appendChild(details);
    tr.appendChild(td);
    return tr;
  }

  function labelled(label, className, text) {
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = label;
    const pre = document.createElement('pre');
    pre.className = className;
    pre.textContent = text;
    figure.append(caption, pre);
    return figure;
  }

  function pretty(body) {
    if (!body) return '';
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body; // not JSON: as sent
    }
  }

  function renderEndpoints(items) {
    replaceRows($('endpoints-table'), items.map((e) => {
      const tr = document.createElement('tr');
      cell(tr, e.id, 'mono');
      cell(tr, e.url, 'mono');
      cell(tr, e.environment || 'every environment');
      cell(tr, e.scheme);
      cell(tr, e.enabled ? 'yes' : 'no' + (e.disabledReason ? ' (' + e.disabledReason + ')' : ''));
      return tr;
    }));
  }

  function fillForm(form, values) {
    for (const input of form.querySelectorAll('input[name]')) {
      const value = values[input.name];
      input.value = value === undefined || value === null ? '' : String(value);
    }
  }

  function describePath(request) {
    if (!request) return '';
    const methods = (request.Methods || []).join(',') || 'ANY';
    let path = request.Path;
    if (path && typeof path === 'object') {
      path = (path.Matchers || []).map((m) => m.Pattern || (m.Patterns || []).join('|')).join(' | ');
    }

    return methods + ' ' + (path || request.Url || '*');
  }

  function renderStubs(mappings) {
    const stubs = mappings.filter((m) => !(m.Title || '').startsWith('Kobbopay'));
    replaceRows($('stubs-table'), stubs.map((m) => {
      const tr = document.createElement('tr');
      cell(tr, m.Title || m.Guid);
      cell(tr, m.Priority);
      cell(tr, describePath(m.Request), 'mono');
      cell(tr, m.Response ? m.Response.StatusCode : null);
      return tr;
    }));
    $('stubs-empty').hidden = stubs.length > 0;
  }

  // ---- loading ----

  async function loadStubs() {
    const mappings = await api('GET', '/__admin/mappings');
    const text = JSON.stringify(mappings);
    if (text !== lastStubs) {
      lastStubs = text;
      renderStubs(mappings || []);
    }
  }

  async function loadAll() {
    const status = $('status-filter').value;
    const [payments, endpoints] = await Promise.all([
      api('GET', '/_sim/payments' + (status ? '?status=' + encodeURIComponent(status) : '')),
      api('GET', '/_sim/webhook-endpoints'),
    ]);
    renderPayments(payments.data);
    renderEndpoints(endpoints.data);
    if (!faultsFilled) {
      const [faults, webhookFaults] = await Promise.all([api('GET', '/_sim/faults'), api('GET', '/_sim/webhook-faults')]);
      fillForm($('api-faults-form'), faults);
      fillForm($('webhook-faults-form'), webhookFaults);
      faultsFilled = true;
    }

    if (selectedId) {
      try {
        renderDetail(await api('GET', '/_sim/payments/' + encodeURIComponent(selectedId)));
      } catch (e) {
        if (e.status !== 404) throw e;
        selectedId = null; // gone (reset)
        renderDetail(null);
      }
    }

    await loadStubs();
  }

  // Runs loadAll, one at a time; a call while one runs makes it run once more afterwards.
  function refresh() {
    if (refreshing) {
      refreshAgain = true;
      return refreshing;
    }

    refreshing = (async () => {
      try {
        do {
          refreshAgain = false;
          await loadAll();
        } while (refreshAgain);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function poll() {
    try {
      const v = await api('GET', '/_sim/ui/version');
      $('clock-now').textContent = v.clock.now + ' (' + v.clock.mode + ')';
      polls++;
      if (v.version !== lastVersion) {
        await refresh();
        lastVersion = v.version;
        if ($('error').dataset.fromPoll) { clearError(); delete $('error').dataset.fromPoll; }
      } else if (polls % STUBS_EVERY === 0) {
        await loadStubs();
      }
    } catch (e) {
      fail(e);
      $('error').dataset.fromPoll = '1';
      lastVersion = null;
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  // ---- actions ----

  async function act(description, call) {
    try {
      const result = await call();
      clearError();
      say(typeof description === 'function' ? description(result) : description);
      await refresh();
    } catch (e) {
      fail(e);
    }
  }

  function select(id) {
    selectedId = id;
    act('Showing payment ' + id + '.', async () => {
      renderDetail(await api('GET', '/_sim/payments/' + encodeURIComponent(id)));
    });
  }

  function transition(verb, body) {
    const id = selectedId;
    if (!id) return;
    act((p) => id + ' ' + verb + ': now ' + p.status + '.', () => api('POST', '/_sim/payments/' + encodeURIComponent(id) + '/' + verb, body));
  }

  function redeliver(deliveryId) {
    act((d) => 'Redelivering ' + deliveryId + ' (' + d.status + ').', () => api('POST', '/_sim/deliveries/' + encodeURIComponent(deliveryId) + '/redeliver'));
  }

  function resend(eventId) {
    const url = $('resend-url').value.trim();
    act((r) => 'Resent ' + eventId + (url ? ' to ' + url : '') + ': ' + ((r && r.deliveries) || []).length + ' delivery(ies).',
      () => api('POST', '/_sim/events/' + encodeURIComponent(eventId) + '/resend', url ? { url } : undefined));
  }

  function numbers(form) {
    const body = {};
    for (const input of form.querySelectorAll('input[name]')) {
      if (input.value.trim() !== '') body[input.name] = Number(input.value);
    }

    return body;
  }

  function wire() {
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('admin-token').value);
      $('admin-token').value = '';
      say('Admin token saved for this tab.');
      clearError();
      faultsFilled = false;
      lastVersion = null;
    });
    $('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      say('Admin token forgotten.');
    });
    $('status-filter').addEventListener('change', () => act(() => 'Filter: ' + ($('status-filter').value || 'all statuses') + '.', async () => {}));
    $('advance-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const seconds = Number($('advance-seconds').value);
      act((c) => 'Clock advanced by ' + seconds + ' s: now ' + c.now + '.', () => api('POST', '/_sim/clock/advance', { seconds }));
    });
    $('pay-full').addEventListener('click', () => transition('pay'));
    $('pay-part-form').addEventListener('submit', (e) => {
      e.preventDefault();
      transition('pay', { amount: $('pay-amount').value.trim() });
    });
    $('confirm').addEventListener('click', () => transition('confirm'));
    $('expire').addEventListener('click', () => transition('expire'));
    $('resend-form').addEventListener('submit', (e) => e.preventDefault());
    $('api-faults-form').addEventListener('submit', (e) => {
      e.preventDefault();
      act('API faults set.', async () => fillForm($('api-faults-form'), await api('PUT', '/_sim/faults', numbers(e.target))));
    });
    $('webhook-faults-form').addEventListener('submit', (e) => {
      e.preventDefault();
      act('Webhook faults set.', async () => fillForm($('webhook-faults-form'), await api('PUT', '/_sim/webhook-faults', numbers(e.target))));
    });
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (token()) showTokenForm();
    wire();
    poll();
  });
})();
