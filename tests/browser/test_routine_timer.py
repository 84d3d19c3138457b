"""The routine timer in a real browser, on Playwright's fake clock: no test waits in real time.

The clock is installed before the page loads and paused at 14:00 UTC, so every time shown is exact;
`fast_forward` jumps (each due timer fires at most once, like a phone waking up) and `run_for` plays
every timer in between.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command

from content.models import Routine
from tests.conftest import PHONE, assert_only_own_host
from tests.factories import make_routine
from tests.routines.test_starter_routines import STARTER_SLUGS

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2025, 3, 1, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def timer(browser, live_server):
    """A phone-sized page on a fake clock paused at 14:00 UTC, recording script errors."""
    context = browser.new_context(base_url=live_server.url, timezone_id="UTC", **PHONE)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # Script errors and CSP refusals; a missing favicon is not the timer's business.
    page.on(
        "console",
        lambda msg: (
            msg.type == "error" and "Failed to load resource" not in msg.text and page.errors.append(msg.text)
        ),
    )
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.clock.install(time=START - dt.timedelta(seconds=1))
    page.clock.pause_at(START)
    yield page
    context.close()


@pytest.fixture
def cold_packs():
    """Cold pack 20 minutes, rest 90 minutes, three times: five steps, the last rest left out."""
    return make_routine(name="Cold pack cycles", slug="cold-pack-cycles", cycles=3)


def open_timer(page, routine) -> None:
    page.goto(routine.get_absolute_url())
    page.locator("#timer").wait_for(state="visible")
    # The observable alert hook: every step change dispatches "routine:step" on document.
    page.evaluate(
        "window.stepEvents = [];"
        "document.addEventListener('routine:step', (event) => window.stepEvents.push(event.detail));"
    )


def start(page) -> None:
    page.get_by_role("button", name="Start", exact=True).click()


def shown(page) -> dict:
    return {
        "now": page.locator("#timer-now").inner_text(),
        "left": page.locator("#timer-left").inner_text(),
        "until": page.locator("#timer-until").inner_text(),
        "next": page.locator("#timer-next").inner_text(),
        "position": page.locator(".timer-position").inner_text(),
        "status": page.locator("#timer").get_attribute("data-status"),
    }


def stored(page, slug: str) -> dict | None:
    return json.loads(page.evaluate(f"localStorage.getItem('routine-timer:{slug}')") or "null")


def test_it_shows_the_first_step_ready_to_start(timer, cold_packs):
    open_timer(timer, cold_packs)
    assert shown(timer) == {
        "now": "Cold pack on",
        "left": "20:00",
        "until": "Press Start when you are ready.",
        "next": "Next, for 1 hour 30 minutes: Rest",
        "position": "Step 1 of 5 Cycle 1 of 3",
        "status": "idle",
    }
    assert timer.get_by_role("button", name="Start", exact=True).is_visible()
    assert not timer.get_by_role("button", name="Pause").is_visible()
    assert timer.errors == []
    assert_only_own_host(timer, timer.url.split("/routines/")[0])


def test_starting_shows_the_end_time_and_the_time_of_the_next_change(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    assert shown(timer)["until"] == "until 14:20"
    assert timer.locator("#timer-alarm").inner_text() == "The next change is at 14:20."
    assert "A locked phone may not ring." in timer.locator(".timer-warning").inner_text()
    timer.clock.run_for("01:30")
    assert shown(timer)["left"] == "18:30"
    assert timer.locator("#timer-step-progress").evaluate("el => [el.value, el.max]") == [90, 1200]
    assert timer.locator("#timer-routine-progress").evaluate("el => [el.value, el.max]") == [90, 14400]
    assert stored(timer, "cold-pack-cycles") == {
        "slug": "cold-pack-cycles",
        "step": 0,
        "endsAt": int((START + dt.timedelta(minutes=20)).timestamp() * 1000),
    }
    assert timer.evaluate("localStorage.length") == 1


def test_fast_forwarding_20_minutes_moves_to_the_next_step_and_fires_the_alert(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("20:00")
    assert shown(timer) == {
        "now": "Rest",
        "left": "1:30:00",
        "until": "until 15:50",
        "next": "Next, for 20 minutes: Cold pack on",
        "position": "Step 2 of 5 Cycle 1 of 3",
        "status": "running",
    }
    assert timer.locator("#timer").get_attribute("data-alerts") == "1"
    events = timer.evaluate("window.stepEvents")
    assert events[-1] == {"step": 1, "status": "running", "reason": "time"}
    assert "timer-changed" in timer.locator("#timer-state").get_attribute("class")
    assert "kind-rest" in timer.locator("#timer-state").get_attribute("class")
    assert timer.title().startswith("Rest - ")


def test_the_step_changes_at_its_end_time_to_the_second(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.run_for("19:59")
    assert shown(timer)["now"] == "Cold pack on"
    assert shown(timer)["left"] == "00:01"
    timer.clock.run_for(1000)
    assert shown(timer)["now"] == "Rest"
    assert timer.locator("#timer").get_attribute("data-alerts") == "1"


def test_the_live_region_announces_the_phase_change_and_one_minute_left_only(timer, cold_packs):
    open_timer(timer, cold_packs)
    live = timer.locator("#timer-announce")
    assert live.get_attribute("role") == "status"
    start(timer)
    assert live.inner_text() == "Now, for 20 minutes until 14:20: Cold pack on"
    timer.clock.run_for("18:50")
    assert live.inner_text() == "Now, for 20 minutes until 14:20: Cold pack on"
    timer.clock.run_for("00:15")
    assert live.inner_text() == "One minute left."
    timer.clock.run_for("00:30")
    assert live.inner_text() == "One minute left."
    timer.clock.run_for("00:30")
    assert live.inner_text() == "Now, for 1 hour 30 minutes until 15:50: Rest"


def test_pausing_for_10_minutes_then_resuming_keeps_the_time_left(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.run_for("05:00")
    timer.get_by_role("button", name="Pause").click()
    assert shown(timer)["until"] == "Paused."
    assert stored(timer, "cold-pack-cycles") == {"slug": "cold-pack-cycles", "step": 0, "remaining": 900000}
    timer.clock.fast_forward("10:00")
    assert shown(timer)["left"] == "15:00"
    assert shown(timer)["now"] == "Cold pack on"
    timer.get_by_role("button", name="Resume").click()
    assert shown(timer)["until"] == "until 14:30"
    assert shown(timer)["left"] == "15:00"
    timer.clock.fast_forward("15:00")
    assert shown(timer)["now"] == "Rest"


def test_a_reload_in_the_middle_restores_the_same_step_and_time_left(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("20:00")
    timer.clock.run_for("10:00")
    timer.reload()
    timer.locator("#timer").wait_for(state="visible")
    assert shown(timer)["now"] == "Rest"
    assert shown(timer)["left"] == "1:20:00"
    assert shown(timer)["until"] == "until 15:50"
    assert shown(timer)["status"] == "running"
    timer.clock.fast_forward("01:20:00")
    assert shown(timer)["now"] == "Cold pack on"
    assert shown(timer)["position"] == "Step 3 of 5 Cycle 2 of 3"


def test_a_reload_while_paused_stays_paused(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.run_for("02:00")
    timer.get_by_role("button", name="Pause").click()
    timer.reload()
    timer.locator("#timer").wait_for(state="visible")
    timer.clock.fast_forward("30:00")
    assert shown(timer)["status"] == "paused"
    assert shown(timer)["left"] == "18:00"
    assert timer.get_by_role("button", name="Resume").is_visible()


def test_steps_that_ended_while_the_page_was_closed_have_passed_on_return(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.goto("about:blank")
    timer.clock.fast_forward("02:00:00")
    open_timer(timer, cold_packs)
    # 14:00 + 20 + 90 = 15:50 (cold again) + 20 = 16:10 (rest): two hours in is 16:00, cold, 10 minutes left.
    assert shown(timer)["now"] == "Cold pack on"
    assert shown(timer)["left"] == "10:00"
    assert shown(timer)["position"] == "Step 3 of 5 Cycle 2 of 3"


def test_fast_forwarding_the_whole_routine_ends_it_done(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("04:00:00")
    state = shown(timer)
    assert state["status"] == "done"
    assert state["now"] == "Routine finished"
    assert not timer.locator("#timer-left").is_visible()
    assert timer.locator("#timer-announce").inner_text() == "Routine finished. Well done."
    # The phone was "asleep" through all five steps: it alerts once on waking, not five times.
    assert timer.locator("#timer").get_attribute("data-alerts") == "1"
    assert timer.locator("#timer-routine-progress").evaluate("el => el.value === el.max")
    assert timer.get_by_role("button", name="Restart").is_visible()
    assert not timer.get_by_role("button", name="Pause").is_visible()
    assert stored(timer, "cold-pack-cycles") == {"slug": "cold-pack-cycles", "step": 5}


def test_skip_moves_to_the_next_step_with_its_full_time(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.run_for("03:00")
    timer.get_by_role("button", name="Skip to next step").click()
    assert shown(timer)["now"] == "Rest"
    assert shown(timer)["left"] == "1:30:00"
    assert shown(timer)["until"] == "until 15:33"
    assert timer.evaluate("window.stepEvents.at(-1).reason") == "skip"
    assert timer.locator("#timer").get_attribute("data-alerts") is None


def test_skip_while_paused_stays_paused_on_the_next_step(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.get_by_role("button", name="Pause").click()
    timer.get_by_role("button", name="Skip to next step").click()
    assert shown(timer)["status"] == "paused"
    assert shown(timer)["now"] == "Rest"
    assert shown(timer)["left"] == "1:30:00"


def test_skipping_the_last_step_finishes(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    for _ in range(5):
        timer.get_by_role("button", name="Skip to next step").click()
    assert shown(timer)["status"] == "done"


def test_restart_starts_again_from_the_first_step(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("20:00")
    timer.clock.run_for("05:00")
    timer.get_by_role("button", name="Restart").click()
    # Nothing happens until the person says yes.
    assert shown(timer)["now"] == "Rest"
    assert timer.evaluate("document.activeElement.id") == "timer-confirm-text"
    timer.get_by_role("button", name="Yes, restart").click()
    assert not timer.locator("#timer-confirm").is_visible()
    assert shown(timer)["now"] == "Cold pack on"
    assert shown(timer)["left"] == "20:00"
    assert shown(timer)["until"] == "until 14:45"
    assert shown(timer)["status"] == "running"
    assert timer.evaluate("window.stepEvents.at(-1).reason") == "restart"


def test_restart_after_the_end_runs_it_again(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("04:00:00")
    timer.get_by_role("button", name="Restart").click()
    timer.get_by_role("button", name="Yes, restart").click()
    assert shown(timer)["status"] == "running"
    assert shown(timer)["position"] == "Step 1 of 5 Cycle 1 of 3"
    assert timer.evaluate("document.activeElement.id") == "timer-pause"


def test_restart_asks_first_and_no_keeps_the_timer_going(timer, cold_packs):
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("30:00")
    restart = timer.get_by_role("button", name="Restart", exact=True)
    restart.click()
    confirm = timer.locator("#timer-confirm")
    assert confirm.is_visible()
    assert "Restart from step 1?" in confirm.inner_text()
    assert restart.get_attribute("aria-expanded") == "true"
    timer.get_by_role("button", name="No, keep going").click()
    assert not confirm.is_visible()
    assert shown(timer)["now"] == "Rest" and shown(timer)["left"] == "1:20:00"
    assert timer.evaluate("document.activeElement.id") == "timer-restart"
    assert timer.evaluate("window.stepEvents.map((e) => e.reason)") == ["start", "time"]
    # Escape closes it too.
    restart.click()
    timer.keyboard.press("Escape")
    assert not confirm.is_visible()
    assert shown(timer)["status"] == "running"


def test_the_keyboard_alone_starts_pauses_and_skips_with_a_visible_focus(timer, cold_packs):
    open_timer(timer, cold_packs)
    timer.locator("#timer-start").focus()
    timer.keyboard.press("Enter")
    assert shown(timer)["status"] == "running"
    assert timer.evaluate("document.activeElement.id") == "timer-pause"
    timer.keyboard.press("Space")
    assert shown(timer)["status"] == "paused"
    assert timer.evaluate("document.activeElement.textContent") == "Resume"
    timer.keyboard.press("Tab")
    assert timer.evaluate("document.activeElement.id") == "timer-skip"
    ring = timer.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"
    timer.keyboard.press("Enter")
    assert shown(timer)["now"] == "Rest"


def test_reduced_motion_swaps_the_flash_for_a_steady_outline(timer, cold_packs):
    timer.emulate_media(reduced_motion="reduce")
    open_timer(timer, cold_packs)
    start(timer)
    timer.clock.fast_forward("20:00")
    style = timer.locator("#timer-state").evaluate(
        "el => [getComputedStyle(el).animationName, getComputedStyle(el).outlineStyle]"
    )
    assert style == ["none", "solid"]


def test_notifications_are_asked_for_only_when_switched_on(timer, cold_packs):
    timer.context.grant_permissions(["notifications"])
    open_timer(timer, cold_packs)
    notify = timer.get_by_label("Notify me at each change")
    assert not notify.is_checked()
    assert "asks your permission when you switch this on" in timer.locator("#timer-notify-hint").inner_text()
    notify.check()
    assert notify.is_checked()
    assert timer.locator("#timer-option-message").inner_text() == ""


def test_notifications_that_are_blocked_switch_back_off_with_a_reason(timer, cold_packs):
    open_timer(timer, cold_packs)
    # Playwright can grant a permission but not refuse one: this is the browser's "blocked" answer.
    timer.evaluate("() => { Object.defineProperty(Notification, 'permission', {get: () => 'denied'}); }")
    notify = timer.get_by_label("Notify me at each change")
    notify.click()
    assert not notify.is_checked()
    assert "blocked" in timer.locator("#timer-option-message").inner_text()


def test_the_timer_page_has_no_axe_violations_idle_or_running(timer, cold_packs, axe):
    open_timer(timer, cold_packs)
    # axe-core waits on its own timers: let the fake clock run in real time while it works.
    timer.clock.resume()
    axe(timer)
    start(timer)
    timer.clock.fast_forward("20:00")
    assert shown(timer)["status"] == "running"
    axe(timer)
    timer.get_by_role("button", name="Pause").click()
    axe(timer)


def test_starting_at_swaps_in_the_schedule_with_htmx_and_moves_focus(timer, cold_packs):
    open_timer(timer, cold_packs)
    timer.clock.resume()
    timer.get_by_label("Starting at").fill("23:30")
    timer.get_by_role("button", name="Show the times").click()
    timer.locator(".schedule-start").wait_for()
    assert timer.locator(".schedule-start").inner_text() == "Starting at 23:30."
    assert timer.locator(".step-time").nth(1).inner_text() == "23:50 to 01:20 (next day)"
    assert timer.url.endswith("?start=23%3A30")
    timer.wait_for_function("document.activeElement.id === 'schedule-heading'")
    assert timer.locator("#timer").is_visible()
    assert timer.errors == []


def test_without_javascript_the_page_is_a_schedule_with_a_starting_at_form(no_js, live_server, cold_packs):
    no_js.goto(cold_packs.get_absolute_url())
    assert not no_js.locator("#timer").is_visible()
    assert no_js.get_by_role("heading", name="Schedule").is_visible()
    assert no_js.get_by_role("heading", name="Stay safe").is_visible() is False  # no notes on this one
    rows = no_js.locator(".step-row")
    assert rows.count() == 5
    assert rows.first.inner_text().split() == "Cold pack on 20 minutes".split()
    no_js.get_by_label("Starting at").fill("23:30")
    no_js.get_by_role("button", name="Show the times").click()
    no_js.wait_for_url(re.compile(r"\?start=23%3A30#schedule$"))
    times = no_js.locator(".step-time").all_inner_texts()
    assert times == [
        "23:30 to 23:50",
        "23:50 to 01:20 (next day)",
        "01:20 (next day) to 01:40",
        "01:40 (next day) to 03:10",
        "03:10 (next day) to 03:30",
    ]
    assert_only_own_host(no_js, live_server.url)


def test_without_javascript_a_bad_start_time_shows_the_error(no_js, cold_packs):
    response = no_js.goto(cold_packs.get_absolute_url() + "?start=seven")
    assert response.status == 200
    assert no_js.get_by_role("alert").inner_text().startswith("There is a problem")
    assert no_js.get_by_role(
        "link", name="Enter the time as hours and minutes, for example 14:30."
    ).is_visible()


def test_it_prints_one_page_with_safety_notes_and_a_tick_box_per_step(timer, live_server):
    routine = make_routine(
        cycles=3,
        safety_notes="Wrap the pack in a thin towel.\nNot on numb or broken skin.\nDo not fall asleep with it on.",
    )
    open_timer(timer, routine)
    timer.goto(routine.get_absolute_url() + "?start=08:00")
    timer.emulate_media(media="print")
    assert not timer.locator("#timer").is_visible()
    assert not timer.locator(".start-form").is_visible()
    assert timer.get_by_role("heading", name="Stay safe").is_visible()
    assert timer.locator(".tick").count() == 5
    assert all(tick.is_visible() for tick in timer.locator(".tick").all())
    pdf = timer.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.parametrize("slug", STARTER_SLUGS)
def test_each_starter_routine_runs_step_by_step_to_the_end_and_prints_on_one_page(timer, slug):
    call_command("load_starter_content", stdout=io.StringIO())
    routine = Routine.objects.prefetch_related("steps").get(slug=slug)
    schedule = routine.schedule()
    open_timer(timer, routine)
    start(timer)
    for item in schedule:
        assert shown(timer)["position"].startswith(f"Step {item.number} of {len(schedule)}")
        assert shown(timer)["now"] == item.step.instruction
        timer.clock.fast_forward(item.duration_seconds * 1000)
    assert shown(timer)["status"] == "done"
    assert timer.locator("#timer").get_attribute("data-alerts") == str(len(schedule))
    assert timer.errors == []
    timer.goto(routine.get_absolute_url() + "?start=21:00")
    timer.emulate_media(media="print")
    assert timer.locator(".tick").count() == len(schedule)
    assert len(re.findall(rb"/Type\s*/Page[^s]", timer.pdf(format="A4"))) == 1
