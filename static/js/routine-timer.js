/* The routine timer (templates/content/routine_detail.html), fed by the "routine-data" json_script.

   Exact time: the state is an end timestamp (or, when paused, the time that was left), never a count of
   ticks. The display is recomputed from Date.now(), and the step change is one setTimeout per step, so a
   hidden or throttled tab still changes step at the right moment and catches up when it comes back.
   Only the routine's slug, the step index and the end time (or paused remainder) go to localStorage.

   For tests and anything else that wants to listen: every step change dispatches a "routine:step"
   CustomEvent on document (detail: step, status, reason), and #timer carries data-alerts, the number of
   timed alerts (tone, vibration, notification) so far. */
(function () {
  "use strict";

  var dataElement = document.getElementById("routine-data");
  var root = document.getElementById("timer");
  var more = document.getElementById("timer-more");
  if (!dataElement || !root || !more) return;
  var data = JSON.parse(dataElement.textContent);
  var steps = data.steps;
  if (!steps.length) return;

  // The timer's words, from Django's JavaScript catalog (/jsi18n/ or /es/jsi18n/, loaded before this script).
  var words = {
    pause: gettext("Pause"),
    resume: gettext("Resume"),
    ready: gettext("Press Start when you are ready."),
    paused: gettext("Paused."),
    until: gettext("until %(time)s"),
    next: gettext("Next, for %(duration)s: %(what)s"),
    nextDone: gettext("Next: the routine is finished."),
    cycle: gettext("Cycle %(cycle)s of %(cycles)s"),
    step: gettext("Step %(step)s of %(steps)s"),
    now: gettext("Now, for %(duration)s until %(time)s: %(what)s"),
    oneMinute: gettext("One minute left."),
    done: gettext("Routine finished"),
    doneNote: gettext("Well done. You can start again whenever you need to."),
    doneAnnounce: gettext("Routine finished. Well done."),
    notifyBlocked: gettext("Notifications are blocked for this site. You can allow them in your browser's settings."),
    notifyUnsupported: gettext("This browser cannot show notifications from this page."),
    wakeUnsupported: gettext("This browser cannot keep the screen on."),
    wakeFailed: gettext("The screen could not be kept on (the battery saver may be on)."),
    notificationBody: gettext("Until %(time)s: %(what)s"),
    alarmsAdded: gettext("Open the file and add it to your calendar. Once it is added, your calendar rings at %(time)s and at the start of every step after it, even when the phone is locked. If you pause, skip or restart the timer, the calendar keeps the old times: add the alarms again."),
  };

  var KEY = "routine-timer:" + data.slug;
  var TOTAL = steps[steps.length - 1].start + steps[steps.length - 1].seconds;

  function $(id) {
    return document.getElementById(id);
  }
  var ui = {
    state: $("timer-state"),
    position: $("timer-step"),
    cycle: $("timer-cycle"),
    now: $("timer-now"),
    detail: $("timer-detail"),
    left: $("timer-left"),
    leftLine: $("timer-left-line"),
    until: $("timer-until"),
    next: $("timer-next"),
    stepProgress: $("timer-step-progress"),
    routineProgress: $("timer-routine-progress"),
    start: $("timer-start"),
    pause: $("timer-pause"),
    skip: $("timer-skip"),
    restart: $("timer-restart"),
    confirm: $("timer-confirm"),
    confirmText: $("timer-confirm-text"),
    confirmYes: $("timer-confirm-yes"),
    confirmNo: $("timer-confirm-no"),
    night: $("timer-night"),
    alarmsLink: $("timer-alarms-link"),
    alarmsAdded: $("timer-alarms-added"),
    announce: $("timer-announce"),
    alarm: $("timer-alarm"),
    alarmTime: $("timer-alarm-time"),
    sound: $("timer-sound"),
    notify: $("timer-notify"),
    wake: $("timer-wake"),
    optionMessage: $("timer-option-message"),
  };

  var clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  var baseTitle = document.title;

  // state: null (idle) | {step, endsAt} (running) | {step, remaining} (paused) | {step: steps.length} (done)
  var state = load();
  var stepTimer = null;
  var tickTimer = null;
  var audio = null;
  var wakeLock = null;
  var alerts = 0;
  var lastSecondsLeft = null;
  var lastStep = null;
  var shownTitle = null;

  function format(template, values) {
    return interpolate(template, values, true);
  }

  function load() {
    var saved;
    try {
      saved = JSON.parse(localStorage.getItem(KEY));
    } catch (error) {
      return null;
    }
    if (!saved || saved.slug !== data.slug || !Number.isInteger(saved.step) || saved.step < 0) return null;
    // The editors may have shortened the routine since: past the end is simply "done".
    if (saved.step >= steps.length) return { step: steps.length };
    if (Number.isFinite(saved.endsAt)) return { step: saved.step, endsAt: saved.endsAt };
    if (Number.isFinite(saved.remaining) && saved.remaining > 0) {
      return { step: saved.step, remaining: Math.min(saved.remaining, steps[saved.step].seconds * 1000) };
    }
    return null;
  }

  function save() {
    try {
      if (state === null) {
        localStorage.removeItem(KEY);
      } else {
        var saved = { slug: data.slug, step: state.step };
        if ("endsAt" in state) saved.endsAt = state.endsAt;
        if ("remaining" in state) saved.remaining = state.remaining;
        localStorage.setItem(KEY, JSON.stringify(saved));
      }
    } catch (error) {
      // Private browsing or a full storage: the timer still runs, it just will not survive a reload.
    }
  }

  function status() {
    if (state === null) return "idle";
    if (state.step >= steps.length) return "done";
    return "endsAt" in state ? "running" : "paused";
  }

  function remaining(now) {
    switch (status()) {
      case "running":
        return Math.max(0, state.endsAt - now);
      case "paused":
        return state.remaining;
      case "idle":
        return steps[0].seconds * 1000;
      default:
        return 0;
    }
  }

  // Move past every step whose end time has gone by; each next step ends exactly one duration after the last.
  function catchUp(now) {
    var moved = 0;
    while (status() === "running" && now >= state.endsAt) {
      var next = state.step + 1;
      moved += 1;
      if (next >= steps.length) {
        state = { step: steps.length };
      } else {
        state = { step: next, endsAt: state.endsAt + steps[next].seconds * 1000 };
      }
    }
    return moved;
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // "19:30" under an hour, "1:29:51" from an hour up (never "89:51").
  function timeLeft(ms) {
    var seconds = Math.ceil(ms / 1000);
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    return hours ? hours + ":" + two(minutes) + ":" + two(rest) : two(minutes) + ":" + two(rest);
  }

  // The steps still to come, as [index, start, end] in milliseconds, if the timer goes on from `now`.
  function upcoming(now) {
    if (status() === "done") return [];
    var index = state ? state.step : 0;
    var end = now + remaining(now);
    var list = [[index, now, end]];
    for (var i = index + 1; i < steps.length; i += 1) {
      list.push([i, end, end + steps[i].seconds * 1000]);
      end += steps[i].seconds * 1000;
    }
    return list;
  }

  function atNight(ms) {
    var hour = new Date(ms).getHours();
    return hour >= data.night[0] || hour < data.night[1];
  }

  // A cold or heat pack on at night, when people doze off (the same rule as the server's schedule).
  function runsIntoNight(now) {
    return upcoming(now).some(function (item) {
      if (data.packKinds.indexOf(steps[item[0]].kind) < 0) return false;
      for (var moment = item[1]; moment < item[2]; moment += 600000) {
        if (atNight(moment)) return true;
      }
      return atNight(item[2] - 1000);
    });
  }

  // When step 1 began (or would have), for calendar alarms that follow the running timer.
  function routineStart(now) {
    var current = status();
    if (current !== "running" && current !== "paused") return null;
    var step = steps[state.step];
    return now + remaining(now) - (step.start + step.seconds) * 1000;
  }

  function localDate(date) {
    return date.getFullYear() + "-" + two(date.getMonth() + 1) + "-" + two(date.getDate());
  }

  function localTime(date, seconds) {
    var text = two(date.getHours()) + ":" + two(date.getMinutes());
    return seconds ? text + ":" + two(date.getSeconds()) : text;
  }

  // The calendar file is made on the server, which does not know this phone's clock: give it the
  // phone's date and, unless a time was chosen, the timer's start or a minute from now.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest(".alarms-link");
    if (!link) return;
    var url = new URL(link.getAttribute("href"), window.location.href);
    var now = Date.now();
    var timerStart = link.hasAttribute("data-follows-timer") ? routineStart(now) : null;
    var first;
    if (timerStart !== null) {
      first = new Date(Math.round(timerStart / 1000) * 1000);
      url.searchParams.set("start", localTime(first, true));
    } else if (!url.searchParams.get("start")) {
      first = new Date(Math.ceil((now + 60000) / 60000) * 60000);
      url.searchParams.set("start", localTime(first, false));
    } else {
      first = new Date(now);
      var parts = url.searchParams.get("start").split(":");
      first.setHours(Number(parts[0]), Number(parts[1]), 0, 0);
    }
    url.searchParams.set("date", localDate(first));
    link.setAttribute("href", url.pathname + url.search);
    var next = upcoming(now).filter(function (item) {
      return item[1] > now;
    })[0];
    var rings = timerStart !== null && next ? new Date(next[1]) : first;
    setText(ui.alarmsAdded, format(words.alarmsAdded, { time: clock.format(rings) }));
    show(ui.alarmsAdded, true);
  });

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function show(element, visible) {
    element.hidden = !visible;
  }

  function announce(text) {
    // A repeated message would not be read again: make it differ by a trailing no-break space.
    ui.announce.textContent = ui.announce.textContent === text ? text + "\u00a0" : text;
  }

  function nowSentence(index, endsAt) {
    return format(words.now, {
      what: steps[index].what,
      duration: steps[index].duration,
      time: clock.format(endsAt),
    });
  }

  function render() {
    var now = Date.now();
    var current = status();
    var index = Math.min(state ? state.step : 0, steps.length - 1);
    var step = steps[index];
    var left = remaining(now);
    var done = current === "done";

    root.dataset.status = current;
    root.dataset.step = done ? String(steps.length) : String(index);
    var kind = "kind-" + (done ? "done" : step.kind);
    if (!ui.state.classList.contains(kind)) {
      ui.state.classList.remove("kind-cold", "kind-heat", "kind-rest", "kind-exercise", "kind-done");
      ui.state.classList.add(kind);
    }

    setText(ui.position, format(words.step, { step: index + 1, steps: steps.length }));
    setText(ui.cycle, data.cycles > 1 ? format(words.cycle, { cycle: step.cycle, cycles: data.cycles }) : "");
    setText(ui.now, done ? words.done : step.what);
    // A whole sentence of instruction reads better a size down than as a giant heading.
    ui.now.classList.toggle("timer-now-long", !done && step.what.length > 40);
    setText(ui.detail, done ? "" : step.detail);
    show(ui.detail, !done && !!step.detail);
    setText(ui.left, timeLeft(left));
    show(ui.leftLine, !done);

    var until = "";
    if (current === "running") until = format(words.until, { time: clock.format(state.endsAt) });
    else if (current === "paused") until = words.paused;
    else if (current === "idle") until = words.ready;
    else until = words.doneNote;
    setText(ui.until, until);
    // Before the start, the Start button right below says it all, and keeps to the first screen.
    show(ui.until, current !== "idle");

    var next = "";
    if (!done) {
      next =
        index + 1 < steps.length
          ? format(words.next, { what: steps[index + 1].what, duration: steps[index + 1].duration })
          : words.nextDone;
    }
    setText(ui.next, next);
    show(ui.next, !done);

    var stepElapsed = done ? step.seconds : step.seconds - left / 1000;
    ui.stepProgress.max = step.seconds;
    ui.stepProgress.value = Math.max(0, Math.min(step.seconds, stepElapsed));
    ui.routineProgress.max = TOTAL;
    ui.routineProgress.value = done ? TOTAL : Math.min(TOTAL, step.start + Math.max(0, stepElapsed));

    show(ui.start, current === "idle");
    show(ui.pause, current === "running" || current === "paused");
    setText(ui.pause, current === "paused" ? words.resume : words.pause);
    show(ui.skip, current === "running" || current === "paused");
    show(ui.restart, current !== "idle");
    if (current === "idle") show(ui.confirm, false);
    show(ui.night, !done && runsIntoNight(now));

    show(ui.alarm, current === "running");
    if (current === "running") setText(ui.alarmTime, clock.format(state.endsAt));

    var title = current === "running" || current === "paused" ? step.what + " - " + baseTitle : baseTitle;
    if (title !== shownTitle) {
      document.title = title;
      shownTitle = title;
    }

    // "One minute left", once, when a running step crosses the minute (never on a reload past it).
    var secondsLeft = Math.ceil(left / 1000);
    if (
      current === "running" &&
      lastStep === state.step &&
      lastSecondsLeft !== null &&
      lastSecondsLeft > 60 &&
      secondsLeft <= 60
    ) {
      announce(words.oneMinute);
    }
    lastStep = state ? state.step : null;
    lastSecondsLeft = current === "running" ? secondsLeft : null;
  }

  function schedule() {
    clearTimeout(stepTimer);
    clearTimeout(tickTimer);
    stepTimer = null;
    tickTimer = null;
    if (status() !== "running") return;
    var now = Date.now();
    // The one timeout for the step change: it fires at the end time even when ticks are throttled.
    stepTimer = setTimeout(onStepEnd, Math.max(0, state.endsAt - now));
    // Display ticks land on each whole second of the time left; they only redraw.
    var left = state.endsAt - now;
    tickTimer = setTimeout(onTick, left % 1000 || 1000);
  }

  function onTick() {
    tickTimer = null;
    // The step change belongs to the step timeout alone: a tick chain is what a browser throttles hardest
    // in a hidden tab, so the change must not ride on it. Hidden pages need no redrawing either.
    if (status() !== "running" || Date.now() >= state.endsAt || document.hidden) return;
    render();
    var left = state.endsAt - Date.now();
    tickTimer = setTimeout(onTick, left % 1000 || 1000);
  }

  function onStepEnd() {
    if (catchUp(Date.now())) {
      save();
      changed("time");
    }
    schedule();
    render();
  }

  function changed(reason) {
    var current = status();
    lastSecondsLeft = null;
    if (current === "done") {
      announce(words.doneAnnounce);
    } else if (current === "running") {
      announce(nowSentence(state.step, state.endsAt));
    }
    if (reason === "time") alert();
    flash();
    updateWakeLock();
    document.dispatchEvent(
      new CustomEvent("routine:step", {
        detail: { step: state ? state.step : 0, status: current, reason: reason },
      }),
    );
  }

  var flashTimer = null;
  function flash() {
    // A visible change on every step: a brief highlight (under reduced motion, a steady outline instead).
    clearTimeout(flashTimer);
    ui.state.classList.remove("timer-changed");
    void ui.state.offsetWidth;
    ui.state.classList.add("timer-changed");
    flashTimer = setTimeout(function () {
      ui.state.classList.remove("timer-changed");
    }, 4000);
  }

  function alert() {
    alerts += 1;
    root.dataset.alerts = String(alerts);
    var current = status();
    if (ui.sound.checked) {
      tone(current === "done" ? 3 : 2);
      if (navigator.vibrate) navigator.vibrate(current === "done" ? [300, 150, 300, 150, 300] : [300, 150, 300]);
    }
    if (ui.notify.checked && "Notification" in window && Notification.permission === "granted") {
      var body =
        current === "done"
          ? words.doneAnnounce
          : format(words.notificationBody, { what: steps[state.step].what, time: clock.format(state.endsAt) });
      notify(body);
    }
  }

  // Through the service worker where there is one: Android's Chrome only shows notifications that way
  // (`new Notification()` throws there). Elsewhere the plain constructor; the tone and the page change anyway.
  function notify(body) {
    var options = {
      body: body,
      tag: "routine-" + data.slug,
      renotify: true,
      icon: data.icon,
      data: { url: window.location.pathname },
    };
    function direct() {
      try {
        new Notification(data.name, options);
      } catch (error) {
        // No way to notify from this page: the other alerts still happen.
      }
    }
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) {
      direct();
      return;
    }
    navigator.serviceWorker.getRegistration().then(function (registration) {
      if (!registration) return direct();
      return registration.showNotification(data.name, options);
    }).catch(direct);
  }

  // The AudioContext is made on a click (Start, Resume, the sound switch): browsers refuse sound before one.
  function ensureAudio() {
    var AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) return;
    try {
      if (!audio) audio = new AudioContextClass();
      if (audio.state === "suspended") audio.resume();
    } catch (error) {
      audio = null;
    }
  }

  function tone(beeps) {
    if (!audio) return;
    try {
      var at = audio.currentTime + 0.05;
      for (var i = 0; i < beeps; i += 1) {
        var oscillator = audio.createOscillator();
        var gain = audio.createGain();
        oscillator.type = "sine";
        oscillator.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(at);
        oscillator.stop(at + 0.4);
        at += 0.5;
      }
    } catch (error) {
      // No sound device: the other alerts still happen.
    }
  }

  function updateWakeLock() {
    var want = ui.wake.checked && status() === "running" && document.visibilityState === "visible";
    if (want && !wakeLock && "wakeLock" in navigator) {
      wakeLock = "pending";
      navigator.wakeLock.request("screen").then(
        function (lock) {
          wakeLock = lock;
          lock.addEventListener("release", function () {
            if (wakeLock === lock) wakeLock = null;
          });
          if (!(ui.wake.checked && status() === "running")) releaseWakeLock();
        },
        function () {
          wakeLock = null;
          setText(ui.optionMessage, words.wakeFailed);
        },
      );
    } else if (!want) {
      releaseWakeLock();
    }
  }

  function releaseWakeLock() {
    if (wakeLock && wakeLock !== "pending") {
      var lock = wakeLock;
      wakeLock = null;
      lock.release().catch(function () {});
    }
  }

  function startFrom(index) {
    ensureAudio();
    state = { step: index, endsAt: Date.now() + steps[index].seconds * 1000 };
    save();
    schedule();
    render();
    changed(index === 0 ? "start" : "restart");
  }

  function focusIfHidden(fallback) {
    var active = document.activeElement;
    if (!active || active === document.body || active.hidden) fallback.focus();
  }

  ui.start.addEventListener("click", function () {
    startFrom(0);
    ui.pause.focus();
  });

  // Restart asks first: one stray tap must not throw away two hours of a routine.
  ui.restart.addEventListener("click", function () {
    show(ui.confirm, true);
    ui.restart.setAttribute("aria-expanded", "true");
    ui.confirmText.focus();
  });

  function closeConfirm(focus) {
    show(ui.confirm, false);
    ui.restart.setAttribute("aria-expanded", "false");
    if (focus) focus.focus();
  }

  ui.confirmNo.addEventListener("click", function () {
    closeConfirm(ui.restart.hidden ? ui.start : ui.restart);
  });

  ui.confirmYes.addEventListener("click", function () {
    ensureAudio();
    state = { step: 0, endsAt: Date.now() + steps[0].seconds * 1000 };
    save();
    schedule();
    render();
    changed("restart");
    closeConfirm(ui.pause);
  });

  ui.confirm.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeConfirm(ui.restart);
  });

  ui.pause.addEventListener("click", function () {
    var now = Date.now();
    catchUp(now);
    if (status() === "running") {
      state = { step: state.step, remaining: Math.max(1, state.endsAt - now) };
    } else if (status() === "paused") {
      ensureAudio();
      state = { step: state.step, endsAt: now + state.remaining };
    }
    save();
    schedule();
    render();
    updateWakeLock();
    focusIfHidden(ui.restart);
  });

  ui.skip.addEventListener("click", function () {
    var now = Date.now();
    catchUp(now);
    var current = status();
    if (current !== "running" && current !== "paused") return;
    var next = state.step + 1;
    if (next >= steps.length) {
      state = { step: steps.length };
    } else if (current === "running") {
      state = { step: next, endsAt: now + steps[next].seconds * 1000 };
    } else {
      state = { step: next, remaining: steps[next].seconds * 1000 };
    }
    save();
    schedule();
    render();
    changed("skip");
    focusIfHidden(ui.restart);
  });

  ui.sound.addEventListener("change", function () {
    if (ui.sound.checked) ensureAudio();
  });

  if (!("Notification" in window)) {
    ui.notify.disabled = true;
    setText(ui.optionMessage, words.notifyUnsupported);
  }
  ui.notify.addEventListener("change", function () {
    if (!ui.notify.checked || !("Notification" in window)) return;
    // Ask only now, when the person has just said they want notifications.
    if (Notification.permission === "granted") return;
    if (Notification.permission === "denied") {
      ui.notify.checked = false;
      setText(ui.optionMessage, words.notifyBlocked);
      return;
    }
    Promise.resolve(Notification.requestPermission()).then(function (permission) {
      if (permission !== "granted") {
        ui.notify.checked = false;
        setText(ui.optionMessage, words.notifyBlocked);
      } else {
        setText(ui.optionMessage, "");
      }
    });
  });

  if (!("wakeLock" in navigator)) {
    ui.wake.disabled = true;
    setText(ui.optionMessage, words.wakeUnsupported);
  }
  ui.wake.addEventListener("change", updateWakeLock);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") return;
    // Back from the background: change step now if the timeout was held back, and re-take the wake lock
    // (the browser releases it whenever the page is hidden).
    onStepEnd();
    updateWakeLock();
  });

  window.addEventListener("storage", function (event) {
    // Another tab with the same routine started, paused or skipped: follow it.
    if (event.key !== KEY) return;
    state = load();
    schedule();
    render();
  });

  // After a reload the page may not make sound until the next tap: browsers insist on a gesture first.
  function wakeAudioOnFirstGesture() {
    if (ui.sound.checked && status() === "running") ensureAudio();
  }
  document.addEventListener("pointerdown", wakeAudioOnFirstGesture, { once: true });
  document.addEventListener("keydown", wakeAudioOnFirstGesture, { once: true });

  // After the "Starting at" form swaps in a new schedule, take focus to it (or to its error summary).
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.target;
    if (!(swapped instanceof Element) || !swapped.closest("#schedule")) return;
    var target = document.querySelector("#schedule .error-summary") || document.getElementById("schedule-heading");
    if (target) target.focus();
  });

  // Restore: steps that ended while the page was closed pass quietly; the display shows where things are now.
  catchUp(Date.now());
  save();
  root.hidden = false;
  more.hidden = false;
  render();
  schedule();
})();
