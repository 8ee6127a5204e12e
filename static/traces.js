// miu studio: the session's trace waterfall (GET /api/v1/traces), shown by the Traces button.
'use strict';

async function showTraces() {
  const panel = $('traces');
  if (!panel.hidden) { panel.hidden = true; return; }
  panel.hidden = false;
  panel.textContent = 'Loading traces…';
  try {
    const data = await api('GET', '/traces?session_id=' + encodeURIComponent(state.current.id));
    const traces = Array.isArray(data) ? data : (data.traces || []);
    panel.innerHTML = '';
    if (data && data.enabled === false) {
      panel.textContent = data.detail || 'Tracing is off. Set tracing.enabled: true in app.yaml (or OTEL_EXPORTER_OTLP_ENDPOINT).';
      return;
    }
    if (!traces.length) { panel.textContent = 'No traces for this session yet.'; return; }
    for (const t of traces) panel.appendChild(renderTrace(t));
  } catch (e) {
    panel.textContent = 'Could not load traces: ' + e.message;
  }
}

function renderTrace(trace) {
  const div = document.createElement('div');
  div.className = 'trace';
  const h = document.createElement('h3');
  h.textContent = `${trace.name} · ${trace.duration_ms.toFixed(1)} ms · ${new Date(trace.started_at).toLocaleTimeString()}`;
  div.appendChild(h);
  const depth = {};
  const total = Math.max(trace.duration_ms, 0.001);
  for (const s of trace.spans) {
    depth[s.span_id] = s.parent_id && depth[s.parent_id] !== undefined ? depth[s.parent_id] + 1 : 0;
    const row = document.createElement('div');
    row.className = 'span-row';
    const name = document.createElement('span');
    name.className = 'span-name';
    name.style.paddingLeft = (depth[s.span_id] * 12) + 'px';
    name.textContent = s.name;
    const track = document.createElement('span');
    track.className = 'span-track';
    const bar = document.createElement('span');
    bar.className = `span-bar kind-${s.kind} status-${s.status}`;
    bar.style.left = (100 * s.start_ms / total) + '%';
    bar.style.width = (100 * s.duration_ms / total) + '%';
    track.appendChild(bar);
    const info = document.createElement('span');
    info.className = 'span-info';
    const a = s.attributes || {};
    const tokens = a['gen_ai.usage.input_tokens'] !== undefined
      ? ` · ${a['gen_ai.usage.input_tokens']}/${a['gen_ai.usage.output_tokens']} tok` : '';
    info.textContent = `${s.duration_ms.toFixed(1)} ms${tokens}`;
    row.append(name, track, info);
    div.appendChild(row);
  }
  return div;
}
