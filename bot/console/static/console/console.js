/*
 * Staff console: live updates and the reply form. Vanilla JS, no dependencies, no build.
 *
 * Live updates: a WebSocket (/console/live) says "conversation N changed"; the page then
 * re-reads itself from the server and swaps its [data-live-region] elements for the new
 * ones, parsed with DOMParser (scripts in parsed documents never run). The server renders
 * every customer text escaped, and this script never assigns text to innerHTML: its own
 * messages use textContent.
 */
(function () {
  "use strict";

  var body = document.body;
  var mode = body.dataset.live || "";
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var liveState = document.getElementById("live-state");
  var REFRESH_DELAY_MS = 250;
  var INBOX_TICK_MS = 60000;

  function setLiveState(text) {
    if (liveState) liveState.textContent = text;
  }

  // ---- re-reading the page ----
  var refreshTimer = null;
  var refreshing = false;
  var refreshAgain = false;
  var deferred = false;

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
  }

  function refresh() {
    if (refreshing) { refreshAgain = true; return; }
    refreshing = true;
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected && response.url.indexOf("/console/login") !== -1) {
          location.reload();  // the session ended: show the sign-in page
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html) swapRegions(new DOMParser().parseFromString(html, "text/html"));
      })
      .catch(function () { /* the next event or tick tries again */ })
      .then(function () {
        refreshing = false;
        if (refreshAgain) { refreshAgain = false; scheduleRefresh(); }
      });
  }

  function messagesList() { return document.getElementById("messages"); }

  function nearBottom(list) {
    return !list || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  function scrollToBottom() {
    var list = messagesList();
    if (list) list.scrollTop = list.scrollHeight;
  }

  function swapRegions(doc) {
    document.querySelectorAll("[data-live-region]").forEach(function (old) {
      var fresh = doc.getElementById(old.id);
      if (!fresh) return;
      // Never pull a form from under someone typing in it; swap once they leave it.
      if (old.contains(document.activeElement)) { deferred = true; return; }
      var stick = old.id === "messages" && nearBottom(old);
      old.replaceWith(document.importNode(fresh, true));
      if (stick) scrollToBottom();
    });
    document.querySelectorAll("[data-live-toggle]").forEach(function (old) {
      var fresh = doc.getElementById(old.id);
      if (fresh) old.hidden = fresh.hidden;
    });
  }

  document.addEventListener("focusout", function () {
    if (deferred) { deferred = false; scheduleRefresh(); }
  });

  // ---- the live socket ----
  var retries = 0;

  function connect() {
    var url = (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host +
      "/console/live";
    var socket;
    try { socket = new WebSocket(url); } catch (e) { reconnectLater(); return; }
    socket.addEventListener("open", function () {
      if (retries > 0) scheduleRefresh();  // catch up on what happened while away
      retries = 0;
      setLiveState("Live");
    });
    socket.addEventListener("message", function (event) {
      var change;
      try { change = JSON.parse(event.data); } catch (e) { return; }
      if (mode === "inbox" ||
          String(change.conversation_id) === body.dataset.conversationId) {
        scheduleRefresh();
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4401) { location.reload(); return; }  // session ended
      if (event.code === 1008) { setLiveState("Live updates off: reload the page"); return; }
      reconnectLater();
    });
  }

  function reconnectLater() {
    retries += 1;
    setLiveState("Reconnecting\u2026");
    var delay = Math.min(30000, 1000 * Math.pow(2, retries - 1)) * (0.75 + Math.random() / 2);
    setTimeout(connect, delay);
  }

  // ---- the reply form: posted with fetch, the typed text stays until it is accepted ----
  function showFormError(form, text) {
    var box = form.querySelector(".form-error");
    if (!box) return;
    box.textContent = text;
    box.hidden = !text;
  }

  function submitWithFetch(form) {
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      body: new FormData(form)
    })
      .then(function (response) {
        return response.json().catch(function () {
          return { ok: false, error: "The console answered " + response.status + "." };
        });
      })
      .then(function (result) {
        if (result.ok) {
          form.reset();
          showFormError(form, "");
          scheduleRefresh();
        } else {
          showFormError(form, "Not sent: " + (result.error || "unknown error") +
            " Your text is kept.");
        }
      })
      .catch(function () {
        showFormError(form, "Not sent: the console cannot be reached. Your text is kept.");
      })
      .then(function () { if (button) button.disabled = false; });
  }

  document.querySelectorAll("form[data-fetch]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitWithFetch(form);
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submitWithFetch(form);
      }
    });
  });

  if (mode) {
    connect();
    if (mode === "inbox") setInterval(scheduleRefresh, INBOX_TICK_MS);  // waiting times
    if (mode === "conversation") scrollToBottom();
  }
})();
