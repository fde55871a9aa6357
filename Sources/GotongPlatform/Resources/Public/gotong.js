// Gotong's only script. Pages work without it; it adds time on material (heartbeats), video
// progress, and outside players loaded on tap. Beats wait in localStorage while offline and
// are sent again later (each has a tab id and a number, so a retry never counts twice).
(function () {
  "use strict";
  var QUEUE = "gotong.beats";
  function load() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function store(q) { try { localStorage.setItem(QUEUE, JSON.stringify(q.slice(-200))); } catch (e) {} }
  var sending = false;
  function flush() {
    var q = load();
    if (sending || !q.length || navigator.onLine === false) return;
    sending = true;
    var item = q[0];
    fetch(item.url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(item.beat), keepalive: true })
      .then(function (r) {
        // Stored, or refused for good (an expired ticket): either way it leaves the queue.
        if (r.ok || (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429)) {
          var rest = load(); rest.shift(); store(rest);
          if (r.ok) return r.json().then(done);
        }
      })
      .catch(function () {})
      .then(function () { sending = false; if (load().length) setTimeout(flush, 2000); });
  }
  function done(outcome) {
    if (outcome && outcome.completed) {
      var note = document.getElementById("done-note"); if (note) note.hidden = false;
      var timer = document.querySelector("[data-timer]"); if (timer) timer.hidden = true;
    }
  }

  // The catalogue's filters stay folded on a phone (results first) and open beside the
  // results on a wide screen.
  var filters = document.querySelector("details[data-open-wide]");
  if (filters && window.matchMedia && matchMedia("(min-width: 800px)").matches) filters.open = true;

  // A field with a limit counts down while one types; the server refuses more, it cuts nothing.
  Array.prototype.forEach.call(document.querySelectorAll("[data-max]"), function (field) {
    var max = +field.getAttribute("data-max"), out = document.createElement("p");
    out.className = "counter";
    field.insertAdjacentElement("afterend", out);
    var show = function () {
      var left = max - Array.from(field.value.trim()).length;
      out.textContent = field.value ? left + " / " + max : "";
      out.classList.toggle("over", left < 0);
    };
    field.addEventListener("input", show);
    show();
  });

  // The search box offers words and titles while one types (a datalist the browser shows).
  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), function (box) {
    var list = document.createElement("datalist"), timer = 0, asked = "";
    list.id = box.id + "-suggest";
    box.setAttribute("list", list.id);
    box.insertAdjacentElement("afterend", list);
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var text = box.value.trim();
      if (text.length < 2 || text === asked) return;
      timer = setTimeout(function () {
        asked = text;
        fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (found) {
            if (box.value.trim() !== text) return;
            list.textContent = "";
            found.suggestions.forEach(function (s) { var o = document.createElement("option"); o.value = s; list.appendChild(o); });
          })
          .catch(function () {});
      }, 250);
    });
  });

  // A field that applies to one choice of another ("delivery_method=mikro") shows only then.
  Array.prototype.forEach.call(document.querySelectorAll("[data-shown-for]"), function (part) {
    var rule = part.getAttribute("data-shown-for").split("="), choice = document.getElementById(rule[0]);
    if (!choice) return;
    var sync = function () { part.hidden = choice.value !== rule[1]; };
    choice.addEventListener("change", sync);
    sync();
  });

  var box = document.querySelector("[data-beat]");
  if (box) {
    var url = box.getAttribute("data-beat"), ticket = box.getAttribute("data-ticket");
    var tab = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
    var seq = 0, counted = 0, last = Date.now();
    var video = box.querySelector("video");
    var playing = function () { return video && !video.paused && !video.ended; };
    var tick = function () {
      var now = Date.now();
      if (document.visibilityState === "visible" || playing()) counted += now - last;
      last = now;
    };
    var beat = function () {
      tick();
      var seconds = Math.floor(counted / 1000);
      if (seconds < 1 && !video) return;
      counted -= seconds * 1000;
      seq += 1;
      var b = { ticket: ticket, tab: tab, seq: seq, seconds: seconds };
      if (video && isFinite(video.duration) && video.duration > 0) { b.position = video.currentTime; b.duration = video.duration; }
      var q = load(); q.push({ url: url, beat: b }); store(q);
      flush();
    };
    setInterval(beat, 30000);
    // A timed step counts down while it is on screen; at zero the time is reported at once.
    var timer = document.querySelector("[data-timer]");
    if (timer) {
      var left = +timer.getAttribute("data-timer"), out = timer.querySelector("[data-timer-left]");
      var clock = timer.getAttribute("data-clock"), shown = -1;
      var show = function () {
        var s = Math.max(0, Math.ceil(left)), m = Math.floor(s / 60), text;
        if (s === shown) return;
        shown = s;
        text = s > 0 ? clock.replace("{time}", m + ":" + String(s % 60).padStart(2, "0")) : timer.getAttribute("data-reached");
        out.textContent = text;
      };
      // At zero the time is reported, and again every few seconds until the server agrees
      // (its clock, not this one, decides; another tab may have counted part of the time).
      var countdown = setInterval(function () {
        if (timer.hidden) { clearInterval(countdown); return; }
        if (document.visibilityState !== "visible" && !playing()) return;
        left -= 1;
        show();
        if (left <= 0 && -left % 5 === 0) beat();
      }, 1000);
    }
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") beat(); else { last = Date.now(); } });
    window.addEventListener("pagehide", beat);
    if (video) {
      video.addEventListener("pause", beat);
      video.addEventListener("ended", beat);
      video.addEventListener("loadedmetadata", function () {
        var resume = parseFloat(video.getAttribute("data-resume") || "0");
        if (resume > 5 && resume < video.duration - 5) video.currentTime = resume;
      });
    }
  }
  window.addEventListener("online", flush);
  flush();

  // Outside players: a light link until tapped, then the platform's player.
  Array.prototype.forEach.call(document.querySelectorAll("a[data-embed]"), function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = a.getAttribute("data-embed");
      frame.title = a.textContent;
      frame.className = "embed-frame";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.setAttribute("allowfullscreen", "");
      a.replaceWith(frame);
    });
  });
})();

// A quiz attempt (form[data-answers]): each answer is sent as JSON the moment it is given, with
// the attempt's ticket. While offline the latest answer of each question waits in localStorage,
// is put back into the page after a reload, and is sent when the connection returns. A 409
// means the attempt was closed (time ran out), a 401 that the ticket expired: either way the
// page reloads, and the server shows the result or a fresh ticket.
(function () {
  "use strict";
  var form = document.querySelector("form[data-answers]");
  if (!form) return;
  var sets = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-slot]"));
  var KEY = "gotong.answers." + location.pathname;
  var state = document.querySelector(".save-state"), busy = false, timers = {}, sent = false;
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; } }
  function store(p) { try { localStorage.setItem(KEY, JSON.stringify(p)); } catch (e) {} }
  function waiting() { return Object.keys(load()).length > 0; }
  function show() {
    if (!state) return;
    state.textContent = waiting() && navigator.onLine === false ? state.getAttribute("data-offline")
      : waiting() || !sent ? "" : state.getAttribute("data-saved");
  }
  function inputs(set) { return Array.prototype.slice.call(set.querySelectorAll("input,select,textarea")); }
  function answer(set) {
    var kind = set.getAttribute("data-kind"), r = {};
    var els = inputs(set).filter(function (el) { return el.type !== "hidden"; });
    function checked() { return els.filter(function (el) { return el.checked; }); }
    if (kind === "one") r.choices = checked().map(function (el) { return parseInt(el.value, 10); });
    else if (kind === "many") r.choices = checked().map(function (el) { return parseInt(el.name.split("_").pop(), 10); });
    else if (kind === "match") r.matches = els.map(function (el) { return el.value === "" ? null : parseInt(el.value, 10); });
    else r.text = els.length ? els[0].value : "";
    return JSON.stringify({ slot: parseInt(set.getAttribute("data-slot"), 10), response: r });
  }
  function encode(set) {
    var body = new URLSearchParams();
    inputs(set).forEach(function (el) {
      if (!el.name || ((el.type === "radio" || el.type === "checkbox") && !el.checked)) return;
      body.append(el.name, el.value);
    });
    return body.toString();
  }
  function restore(set, body) {
    var values = new URLSearchParams(body);
    inputs(set).forEach(function (el) {
      if (el.type === "hidden") return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.getAll(el.name).indexOf(el.value) >= 0;
      else if (values.has(el.name)) el.value = values.get(el.name);
    });
  }
  function answered(slot) {
    var link = document.querySelector(".qnav a[href='#q" + slot + "']");
    if (link) link.className = "answered";
  }
  function flush() {
    var pending = load(), slots = Object.keys(pending);
    show();
    if (busy || !slots.length || navigator.onLine === false) return;
    busy = true;
    var slot = slots[0], item = pending[slot], set = form.querySelector("fieldset[data-slot='" + slot + "']");
    if (!set) { delete pending[slot]; store(pending); busy = false; return; }
    fetch(form.getAttribute("data-answers"), { method: "POST", credentials: "omit", body: answer(set),
      headers: { "Content-Type": "application/json", "X-Attempt-Ticket": form.getAttribute("data-ticket") } })
      .then(function (r) {
        if (r.status === 409) { localStorage.removeItem(KEY); location.reload(); return; }
        if (r.status === 401) { location.reload(); return; }
        // Kept, or refused for good: either way this answer leaves the queue.
        if (r.ok || (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429)) {
          var now = load();
          if (now[slot] && now[slot].body === item.body) { delete now[slot]; store(now); }
          if (r.ok) { sent = true; answered(slot); }
        }
      })
      .catch(function () {})
      .then(function () { busy = false; show(); if (waiting()) setTimeout(flush, navigator.onLine === false ? 3000 : 500); });
  }
  function queue(set) {
    var pending = load();
    pending[set.getAttribute("data-slot")] = { body: encode(set) };
    store(pending);
    flush();
  }
  var pending = load();
  sets.forEach(function (set) {
    var slot = set.getAttribute("data-slot");
    if (pending[slot]) restore(set, pending[slot].body);
    set.addEventListener("change", function () { queue(set); });
    set.addEventListener("input", function () {
      clearTimeout(timers[slot]);
      timers[slot] = setTimeout(function () { queue(set); }, 800);
    });
  });
  // With the script, moving to the next question needs no round trip; handing in waits for
  // every answer to be sent.
  form.addEventListener("submit", function (e) {
    var go = e.submitter && e.submitter.value;
    if (go && go.charAt(0) === "q" && document.getElementById(go)) {
      e.preventDefault();
      location.hash = go;
    } else if (waiting()) {
      e.preventDefault(); show(); flush();
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[data-finish]"), function (a) {
    a.addEventListener("click", function (e) { if (waiting()) { e.preventDefault(); show(); flush(); } });
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  flush();

  // The time left, counted down here; the server's clock decides. At zero the answers still
  // waiting are sent and the page goes to the result once the server has closed the attempt.
  var timer = document.querySelector(".timer[data-seconds]");
  if (!timer) return;
  var end = Date.now() + 1000 * parseInt(timer.getAttribute("data-seconds"), 10), label = timer.getAttribute("data-label");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    timer.textContent = label.replace("{time}", (h ? h + ":" + pad(m) : m) + ":" + pad(s));
    if (left <= 60) timer.className = "timer ending";
    if (left > 0) { setTimeout(tick, 1000); return; }
    flush();
    setTimeout(function () { location.href = timer.getAttribute("data-finish"); }, 16000);
  }
  tick();
})();
// Public pages a citizen may need without a signal name their offline worker (data-offline):
// registered, it keeps each page of its folder as it was last seen.
(function () {
  "use strict";
  var marker = document.querySelector("[data-offline]");
  if (!marker || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(marker.getAttribute("data-offline")).catch(function () {});
})();
