"""The whole journey with a keyboard alone: Tab, Shift+Tab, Space, Enter and the arrow keys; no mouse.

From the home page through every question of the check to a self-care plan, then "Start the timer" and
the timer itself. Every element the keyboard reaches must show where focus is (an outline or a ring, on
screen), and after each htmx step focus must land on the new question's heading or on the error summary.
"""

from __future__ import annotations

import pytest

from content.starter import load_starter_content

pytestmark = pytest.mark.django_db(transaction=True)

# What has focus, and whether a sighted keyboard user can see it: a drawn outline or box-shadow, on screen
# and not under the sticky emergency line (WCAG 2.4.11, focus not obscured).
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const band = document.querySelector(".emergency-line");
  const drawn = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  const onScreen = box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth
    && box.top < innerHeight && box.bottom > 0;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + Math.min(box.height / 2, 10));
  const uncovered = band.contains(el) || !band.contains(hit);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.type || "",
    text: (el.innerText || el.value || "").trim().replace(/\\s+/g, " "),
    checked: el.checked === true,
    visible: el !== document.body && drawn && onScreen && uncovered,
  };
}"""


@pytest.fixture
def starter(db) -> None:
    load_starter_content()


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def press(page, key: str) -> dict:
    """Press a key that moves focus and check the newly focused element can be seen."""
    page.keyboard.press(key)
    now = focused(page)
    assert now["visible"], f"focus is not visible after {key}: {now}"
    return now


def tab_to(page, wanted, *, key: str = "Tab", limit: int = 40) -> dict:
    """Tab (or Shift+Tab) until `wanted(focused element)` is true, checking focus is visible at every stop."""
    seen = []
    for _ in range(limit):
        now = press(page, key)
        if wanted(now):
            return now
        seen.append(now["text"] or now["id"])
    raise AssertionError(f"never reached the element with {key}; passed {seen}")


def text(words: str):
    return lambda element: element["text"] == words


def element_id(name: str):
    return lambda element: element["id"] == name


def lands_on_heading(page, question: str, path: str) -> None:
    page.wait_for_url(f"**{path}")
    page.wait_for_function(
        "(question) => document.activeElement.tagName === 'H1'"
        " && document.activeElement.textContent.trim() === question",
        arg=question,
    )


def test_the_check_and_a_routine_work_with_the_keyboard_alone(phone, starter):
    page = phone
    page.goto("/")

    # The skip link comes first and shows itself.
    assert press(page, "Tab")["text"] == "Skip to main content"
    tab_to(page, text("Start the check"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/")
    tab_to(page, text("Start now"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/check/serious-signs/")

    # Continue with nothing ticked: the error summary takes focus; its link leads back to the question.
    tab_to(page, text("Continue"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('[data-error-summary]')")
    assert page.title().startswith("Error: ")
    link = press(page, "Tab")
    assert link["tag"] == "a" and link["text"].startswith("Select the signs you have")
    page.keyboard.press("Enter")
    target = focused(page)
    assert target["id"] == "serious-signs-1" and target["visible"], target
    # "None of these" is a button of its own: Enter answers and moves on.
    none = tab_to(page, element_id("serious-signs-none"))
    assert none["tag"] == "button"
    page.keyboard.press("Enter")
    lands_on_heading(page, "How old are you?", "/check/age/")

    tab_to(page, element_id("value"))
    page.keyboard.type("35")
    page.keyboard.press("Enter")
    lands_on_heading(page, "When did this back pain start?", "/check/when-it-started/")

    # One-tap answers: Tab reaches each option's button, Enter or Space answers with it.
    chosen = tab_to(page, element_id("when-it-started-2"))
    assert chosen["tag"] == "button" and chosen["text"] == "1 to 3 days ago"
    page.keyboard.press("Enter")
    lands_on_heading(
        page, "Has your back done this several times in the past year?", "/check/happened-before/"
    )

    tab_to(page, element_id("happened-before-2"))
    page.keyboard.press("Space")
    lands_on_heading(page, "How bad is the pain right now?", "/check/pain/")

    assert tab_to(page, element_id("pain-8"))["text"] == "7"
    page.keyboard.press("Enter")
    lands_on_heading(
        page, "Since it started, is it getting better, about the same, or worse?", "/check/better-or-worse/"
    )

    tab_to(page, element_id("better-or-worse-1"))
    page.keyboard.press("Space")
    lands_on_heading(page, "Do any of these apply to you?", "/check/warning-signs/")

    # Tabbed past "None of these" to Continue: Shift+Tab goes back to it.
    tab_to(page, text("Continue"))
    tab_to(page, element_id("warning-signs-none"), key="Shift+Tab")
    page.keyboard.press("Enter")
    lands_on_heading(page, "Do you have any of these as well?", "/check/other-signs/")

    tab_to(page, element_id("other-signs-none"))
    page.keyboard.press("Enter")
    lands_on_heading(page, "Check your answers", "/check/answers/")

    tab_to(page, text("See your result"))
    page.keyboard.press("Enter")
    lands_on_heading(page, "You can look after this at home", "/check/result/")

    timer_link = tab_to(page, lambda element: element["text"].startswith("Start the timer"))
    assert timer_link["tag"] == "a"
    page.keyboard.press("Enter")
    page.wait_for_url("**/routines/*/")
    page.locator("#timer").wait_for(state="visible")

    tab_to(page, text("Start"))
    page.keyboard.press("Space")
    page.wait_for_function("() => document.getElementById('timer').dataset.status === 'running'")
    # The Start button hides itself; focus moves to Pause rather than falling back to the page.
    now = focused(page)
    assert now["text"] == "Pause" and now["visible"], now
