/*
 * Shop assistant chat widget. Vanilla JS, no dependencies, no build step.
 *
 * Embed on any page:
 *   <script src="https://gateway.example/static/widget/chat-widget.js" defer></script>
 * The WebSocket address (/ws/chat) and the stylesheet are derived from this script's src.
 * The signed session token is kept in sessionStorage, so a reload in the same tab resumes
 * the conversation (the server replays the history) while a new tab starts afresh.
 */
(function () {
  "use strict";
  if (window.__shopChatWidget) return;
  window.__shopChatWidget = true;

  var script = document.currentScript ||
    document.querySelector('script[src*="chat-widget.js"]');
  var base = new URL(script ? script.src : "/static/widget/chat-widget.js", location.href);
  var wsUrl = (base.protocol === "https:" ? "wss:" : "ws:") + "//" + base.host + "/ws/chat";
  var cssUrl = new URL("chat-widget.css", base).href;

  var TOKEN_KEY = "shopChat.session";
  var OPEN_KEY = "shopChat.open";
  var MAX_LENGTH = 4000;
  var TYPING_TIMEOUT_MS = 15000;
  var ERROR_TEXT = {
    unavailable: "The chat is unavailable right now. Please try again in a moment.",
    text_too_long: "That message is too long (4,000 characters at most).",
    empty_text: "Please type a message first.",
    bad_session: "Your previous chat could not be restored; a new one has started."
  };

  var socket = null;
  var ready = false;          // hello answered with a session frame
  var queue = [];             // frames typed while disconnected
  var sentSinceHello = [];    // shown optimistically; redrawn after a history replay
  var retries = 0;
  var retryTimer = null;
  var typingTimer = null;

  // ---- storage (sessionStorage can throw in locked-down browsers) ----
  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, value);
    } catch (e) { /* private mode: the chat still works, without resuming */ }
  }
  function load(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }

  // ---- DOM ----
  function el(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  var link = el("link", null, { rel: "stylesheet", href: cssUrl });
  document.head.appendChild(link);

  var root = el("div", "cw-root");
  var launcher = el("button", "cw-launcher", {
    type: "button", "aria-label": "Open chat", "aria-expanded": "false",
    "aria-controls": "cw-panel"
  });
  launcher.innerHTML = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">' +
    '<path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

  var panel = el("section", "cw-panel", {
    id: "cw-panel", role: "dialog", "aria-label": "Chat with our shop assistant", hidden: ""
  });
  var header = el("header", "cw-header");
  var title = el("h2", "cw-title");
  title.textContent = "Shop assistant";
  var status = el("span", "cw-status", { "aria-live": "polite" });
  var close = el("button", "cw-close", { type: "button", "aria-label": "Close chat" });
  close.textContent = "\u00d7";
  header.append(title, status, close);

  var log = el("div", "cw-log", {
    role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0",
    "aria-label": "Conversation"
  });
  var intro = el("p", "cw-intro");
  intro.textContent = "Hi! Ask me about products, delivery or your order.";
  log.appendChild(intro);
  var typing = el("div", "cw-typing", { "aria-hidden": "true", hidden: "" });
  typing.innerHTML = "<span></span><span></span><span></span>";
  var notice = el("div", "cw-notice", { role: "status", hidden: "" });

  var form = el("form", "cw-form");
  var inputId = "cw-input";
  var label = el("label", "cw-visually-hidden", { "for": inputId });
  label.textContent = "Your message";
  var input = el("input", "cw-input", {
    id: inputId, type: "text", autocomplete: "off", maxlength: String(MAX_LENGTH),
    placeholder: "Type a message\u2026"
  });
  var send = el("button", "cw-send", { type: "submit" });
  send.textContent = "Send";
  form.append(label, input, send);

  panel.append(header, log, typing, notice, form);
  root.append(panel, launcher);

  // ---- rendering ----
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function safeImage(url) {
    try {
      var parsed = new URL(url, base);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) { return null; }
  }

  function renderCustomer(text) {
    var bubble = el("div", "cw-msg cw-customer");
    bubble.textContent = text;
    log.appendChild(bubble);
    scrollDown();
  }

  function renderBot(message, live) {
    var bubble = el("div", "cw-msg cw-bot" + (message.sender === "system" ? " cw-system" : ""));
    if (message.text) {
      var p = el("p");
      p.textContent = message.text;
      bubble.appendChild(p);
    }
    var src = message.image && safeImage(message.image);
    if (src) {
      var img = el("img", "cw-image", { src: src, alt: "" });
      img.addEventListener("load", scrollDown);
      bubble.appendChild(img);
    }
    if (message.buttons && message.buttons.length) {
      bubble.appendChild(renderChips(message.buttons, live, "Suggested replies"));
    }
    var card = message.custom;
    if (card && card.type === "product_card") bubble.appendChild(renderCard(card, live));
    if (bubble.childNodes.length) log.appendChild(bubble);
    scrollDown();
  }

  // Buttons sending their payload; once one is pressed its group is done.
  function renderChips(buttons, live, label) {
    var chips = el("div", "cw-chips", { role: "group", "aria-label": label });
    buttons.forEach(function (button) {
      if (!button || !button.title || !button.payload) return;
      var chip = el("button", "cw-chip", { type: "button" });
      chip.textContent = button.title;
      chip.disabled = !live;
      chip.addEventListener("click", function () {
        Array.prototype.forEach.call(chips.children, function (c) { c.disabled = true; });
        chip.classList.add("cw-chosen");
        sendFrame({ type: "button", title: button.title, payload: button.payload }, button.title);
      });
      chips.appendChild(chip);
    });
    return chips;
  }

  // A product card (custom payload {type: "product_card", name, price, image, reason,
  // buttons, url}); every field is optional and set as text, never as HTML.
  function renderCard(card, live) {
    var node = el("article", "cw-card", { "aria-label": card.name || "Product" });
    var src = card.image && safeImage(card.image);
    if (src) {
      var img = el("img", "cw-card-image", { src: src, alt: card.name || "" });
      img.addEventListener("load", scrollDown);
      node.appendChild(img);
    }
    var name = el("h3", "cw-card-name");
    var href = card.url && safeImage(card.url);
    if (href) {
      var a = el("a", null, { href: href, target: "_blank", rel: "noopener" });
      a.textContent = card.name || "";
      name.appendChild(a);
    } else {
      name.textContent = card.name || "";
    }
    node.appendChild(name);
    if (card.price) {
      var price = el("p", "cw-card-price");
      price.textContent = card.price;
      node.appendChild(price);
    }
    if (card.reason) {
      var reason = el("p", "cw-card-reason");
      reason.textContent = card.reason;
      node.appendChild(reason);
    }
    if (card.buttons && card.buttons.length) {
      node.appendChild(renderChips(card.buttons, live, "Actions for " + (card.name || "product")));
    }
    return node;
  }

  function clearLog() {
    log.textContent = "";
    log.appendChild(intro);
  }

  function renderHistory(messages) {
    clearLog();
    // Buttons stay usable on every bot message after the customer's last one (a reply
    // of several product cards), not only on the very last message.
    var lastIncoming = -1;
    messages.forEach(function (m, i) { if (m.direction === "incoming") lastIncoming = i; });
    messages.forEach(function (m, i) {
      if (m.direction === "incoming") renderCustomer(m.text || "");
      else renderBot(m, i > lastIncoming);
    });
    sentSinceHello.forEach(renderCustomer);
  }

  function setTyping(on) {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS);
      scrollDown();
    }
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(showNotice.timer);
    showNotice.timer = setTimeout(function () { notice.hidden = true; }, 6000);
  }

  function setStatus(text) { status.textContent = text; }

  // ---- connection ----
  function sendFrame(frame, shownText) {
    renderCustomer(shownText);
    if (ready && socket && socket.readyState === WebSocket.OPEN) {
      sentSinceHello.push(shownText);
      socket.send(JSON.stringify(frame));
    } else {
      queue.push({ frame: frame, text: shownText });
      connect();
    }
  }

  function connect() {
    if (socket && (socket.readyState === WebSocket.OPEN ||
                   socket.readyState === WebSocket.CONNECTING)) return;
    clearTimeout(retryTimer);
    ready = false;
    setStatus(retries ? "Reconnecting\u2026" : "Connecting\u2026");
    try {
      socket = new WebSocket(wsUrl);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.addEventListener("open", function () {
      socket.send(JSON.stringify({ type: "hello", session: load(TOKEN_KEY) }));
    });
    socket.addEventListener("message", function (event) { onFrame(event.data); });
    socket.addEventListener("close", function () {
      ready = false;
      setTyping(false);
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    retries += 1;
    // 1 s, 2 s, 4 s ... up to 30 s, with jitter so many tabs do not reconnect at once.
    var delay = Math.min(30000, 1000 * Math.pow(2, retries - 1)) * (0.75 + Math.random() / 2);
    setStatus("Offline \u2013 retrying\u2026");
    retryTimer = setTimeout(connect, delay);
  }

  function onFrame(raw) {
    var frame;
    try { frame = JSON.parse(raw); } catch (e) { return; }
    switch (frame.type) {
      case "session":
        store(TOKEN_KEY, frame.session);
        ready = true;
        retries = 0;
        setStatus("");
        sentSinceHello = [];
        queue.splice(0).forEach(function (item) {
          sentSinceHello.push(item.text);
          socket.send(JSON.stringify(item.frame));
        });
        break;
      case "history":
        renderHistory(frame.messages || []);
        break;
      case "typing":
        setTyping(true);
        break;
      case "bot":
        setTyping(false);
        renderBot(frame, true);
        break;
      case "error":
        setTyping(false);
        if (frame.code === "bad_session") clearLog();
        showNotice(ERROR_TEXT[frame.code] || "Something went wrong; please try again.");
        break;
    }
  }

  // ---- open / close ----
  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-label", open ? "Close chat" : "Open chat");
    root.classList.toggle("cw-open", open);
    store(OPEN_KEY, open ? "1" : null);
    if (open) {
      connect();
      input.focus();
      scrollDown();
    }
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); launcher.focus(); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { setOpen(false); launcher.focus(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    if (text.length > MAX_LENGTH) { showNotice(ERROR_TEXT.text_too_long); return; }
    input.value = "";
    sendFrame({ type: "message", text: text }, text);
  });

  function mount() {
    document.body.appendChild(root);
    // Resume in the same state after a reload: reconnect (to replay history) and reopen.
    if (load(OPEN_KEY)) setOpen(true);
    else if (load(TOKEN_KEY)) connect();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
