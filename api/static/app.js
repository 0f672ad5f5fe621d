// The dashboard's script: API key handling, HTML fragments, live updates, actions.
"use strict";

const KEY = "bacowr_api_key";
const authRequired = document.body.dataset.authRequired === "true";
const flash = (text, error = false) => {
  const el = document.getElementById("flash");
  el.textContent = text;
  el.className = error ? "error" : "ok";
};

function askKey() {
  const form = document.getElementById("key-form");
  form.hidden = false;
  document.getElementById("key-input").focus();
}

async function api(url, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = "Bearer " + key;
  const response = await fetch(url, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    sessionStorage.removeItem(KEY);
    askKey();
    throw new Error("an API key is needed");
  }
  return response;
}

async function errorText(response) {
  try {
    const body = await response.json();
    return body.message || response.statusText;
  } catch (e) {
    return response.statusText;
  }
}

async function load(el) {
  const response = await api(el.dataset.fragment);
  if (!response.ok) {
    el.innerHTML = "";
    flash(await errorText(response), true);
    return;
  }
  el.innerHTML = await response.text();
  el.dispatchEvent(new CustomEvent("fragment-loaded", { bubbles: true }));
}

// Reload a fragment at most once per `ms`, always ending with a fresh copy.
function throttled(el, ms = 700) {
  let timer = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => { timer = null; load(el); }, ms);
  };
}

// Server-sent events over fetch: EventSource cannot send the Authorization header.
async function stream(url, onEvent) {
  const response = await api(url, { headers: { Accept: "text/event-stream" } });
  if (!response.ok) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer = (buffer + value).replace(/\r\n/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

function showProgress(row, p) {
  const set = (field, text) => {
    const el = row.querySelector(`[data-field="${field}"]`);
    if (el) el.textContent = text;
  };
  set("status", p.status);
  const status = row.querySelector('[data-field="status"]');
  if (status) status.className = `status status-${p.status}`;
  set("done", `${p.done}/${p.total}`);
  for (const name of ["passed", "needs_review", "refused", "failed"]) set(name, p.counts[name]);
  set("throughput", p.throughput_per_min);
  set("eta", p.eta_s === null || p.done === p.total ? "–" : `${Math.round(p.eta_s)} s`);
  const bar = row.querySelector("progress");
  if (bar) { bar.max = p.total || 1; bar.value = p.done; }
  row.dataset.status = p.status;
}

const following = new Set();
function followBatches(container) {
  for (const row of container.querySelectorAll("tr[data-batch]")) {
    const id = row.dataset.batch;
    if (following.has(id) || ["finished", "cancelled"].includes(row.dataset.status)) continue;
    following.add(id);
    stream(`/api/v1/batches/${id}/events`, (name, data) => {
      const current = container.querySelector(`tr[data-batch="${id}"]`);
      if (name === "progress" && current) showProgress(current, data);
    }).finally(() => following.delete(id));
  }
}

async function upload(form) {
  const result = document.getElementById("upload-result");
  const response = await api("/api/v1/batches/upload", { method: "POST", body: new FormData(form) });
  if (!response.ok) { flash(await errorText(response), true); return; }
  const body = await response.json();
  flash(`Batch ${body.batch_id}: ${body.accepted.length} job(s) accepted, ${body.rejected.length} rejected.`);
  result.innerHTML = "";
  if (body.rejected.length) {
    const list = document.createElement("ul");
    list.className = "rejected";
    for (const row of body.rejected) {
      const item = document.createElement("li");
      item.textContent = `row ${row.row_number}: ${row.reason}`;
      list.appendChild(item);
    }
    result.appendChild(list);
  }
  form.reset();
  await load(document.getElementById("batches"));
}

async function review(card, action) {
  const notes = card.querySelector("[data-notes]").value.trim();
  if (action === "revise" && !notes) { flash("Write notes for the reviser first.", true); return; }
  const response = await api(`/api/v1/jobs/${card.dataset.review}/review`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ action, notes }),
  });
  if (!response.ok) { flash(await errorText(response), true); return; }
  const body = await response.json();
  flash(`${body.job_id}: ${action} → ${body.status}`);
  await load(document.getElementById("reviews"));
}

async function download(url) {
  const response = await api(url);
  if (!response.ok) { flash(await errorText(response), true); return; }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = url.split("/").slice(-2, -1)[0] + ".zip";
  link.click();
}

function start() {
  document.getElementById("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, document.getElementById("key-input").value.trim());
    location.reload();
  });
  const forget = document.getElementById("forget-key");
  forget.hidden = !sessionStorage.getItem(KEY);
  forget.addEventListener("click", () => { sessionStorage.removeItem(KEY); location.reload(); });
  if (authRequired && !sessionStorage.getItem(KEY)) { askKey(); return; }

  document.addEventListener("fragment-loaded", (event) => {
    if (event.target.matches("[data-live-batches]")) followBatches(event.target);
  });
  document.addEventListener("submit", (event) => {
    if (event.target.id === "upload-form") { event.preventDefault(); upload(event.target); }
  });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.reviewAction) review(button.closest("[data-review]"), button.dataset.reviewAction);
    if (button.dataset.download) download(button.dataset.download);
    if (button.dataset.post) {
      const response = await api(button.dataset.post, { method: "POST" });
      flash(response.ok ? "Done." : await errorText(response), !response.ok);
      document.querySelectorAll("[data-fragment]").forEach(load);
    }
  });

  for (const el of document.querySelectorAll("[data-fragment]")) {
    load(el).then(() => {
      const reload = throttled(el);
      if (el.dataset.batchStream) {
        stream(`/api/v1/batches/${el.dataset.batchStream}/events`, reload).then(() => load(el));
      }
      if (el.dataset.jobStream) {
        stream(`/api/v1/jobs/${el.dataset.jobStream}/events`, reload).then(() => load(el));
      }
    });
  }
}

start();
