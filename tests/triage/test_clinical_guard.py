"""The guard on red-flag changes, at the model level: save, bulk update, delete and the superuser override."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from content import guards
from content.models import RedFlag, Status
from tests.factories import make_red_flag, make_user
from tests.triage.cases_helpers import bladder_case, make_case, saddle_case


def flag(slug: str) -> RedFlag:
    return RedFlag.objects.get(slug=slug)


def test_making_an_emergency_flag_urgent_is_refused_and_nothing_changes(starter_flags):
    bladder_case()
    bladder = flag("bladder_bowel_control")
    bladder.urgency = "urgent"
    with pytest.raises(guards.ChangeRefused) as refused:
        bladder.save()
    assert refused.value.problems == [
        "Case 'New trouble passing urine': expected emergency, would get urgent"
    ]
    assert flag("bladder_bowel_control").urgency == "emergency"
    assert flag("bladder_bowel_control").history.count() == 1


def test_unpublishing_saddle_numbness_is_refused(starter_flags):
    saddle_case()
    saddle = flag("saddle_numbness")
    saddle.status = Status.DRAFT
    with pytest.raises(guards.ChangeRefused, match="nothing was changed") as refused:
        saddle.save()
    assert refused.value.problems == [
        "Case 'Numb around the bottom': expected emergency, would get self_care"
    ]
    assert flag("saddle_numbness").status == Status.PUBLISHED


def test_a_bulk_update_and_a_delete_are_checked_too(starter_flags):
    saddle_case()
    with pytest.raises(guards.ChangeRefused):
        RedFlag.objects.filter(slug__in=["saddle_numbness", "fever"]).update(status=Status.DRAFT)
    with pytest.raises(guards.ChangeRefused):
        flag("saddle_numbness").delete()
    assert flag("saddle_numbness").status == Status.PUBLISHED
    assert flag("fever").status == Status.PUBLISHED


def test_a_change_that_breaks_no_case_goes_through(starter_flags):
    bladder_case()
    saddle_case()
    make_case(title="Fever", red_flags=["fever"], expected="urgent")
    bladder = flag("bladder_bowel_control")
    bladder.question = "Is it newly hard to start peeing, or have you lost control of your bladder or bowels?"
    bladder.save()  # rewording: the check reads nothing of it
    lump = flag("lump_or_shape_change")
    lump.urgency = "emergency"  # no case is about a lump: stricter, and nothing fails
    lump.save()
    make_red_flag(slug="new_sign", urgency="gp")  # a new published flag no case ticks
    assert flag("lump_or_shape_change").urgency == "emergency"


def test_a_proposed_case_never_blocks_a_change(starter_flags):
    bladder_case(active=False)
    bladder = flag("bladder_bowel_control")
    bladder.urgency = "urgent"
    bladder.save()
    assert flag("bladder_bowel_control").urgency == "urgent"


def test_a_case_that_already_fails_blocks_only_changes_that_make_it_worse(starter_flags):
    make_case(title="Expects urgent for fever", red_flags=["fever"], expected="emergency")  # fails now
    lump = flag("lump_or_shape_change")
    lump.urgency = "emergency"
    lump.save()  # unrelated: goes through
    fever = flag("fever")
    fever.urgency = "gp"
    with pytest.raises(guards.ChangeRefused) as refused:
        fever.save()  # further from what the case expects
    assert refused.value.problems == ["Case 'Expects urgent for fever': expected emergency, would get gp"]


def test_the_override_needs_a_superuser_and_a_reason_and_is_kept_in_the_history(starter_flags):
    saddle_case()
    reviewer = make_user()
    admin = make_user(is_superuser=True)
    with pytest.raises(PermissionDenied):
        with guards.override(reviewer, "We agreed it"):
            pass
    with pytest.raises(PermissionDenied):
        with guards.override(admin, "   "):
            pass
    saddle = flag("saddle_numbness")
    saddle.status = Status.DRAFT
    with guards.override(admin, "Replaced by a reworded flag; agreed at the clinical meeting of 3 May"):
        saddle.save()
    saddle = flag("saddle_numbness")
    assert saddle.status == Status.DRAFT
    reason = saddle.history.first().history_change_reason
    assert reason.startswith(f"Safety check overridden by {admin.username}: Replaced by a reworded flag;")
    assert "Case 'Numb around the bottom': expected emergency, would get self_care" in reason


def test_a_batch_is_checked_as_a_whole_before_anything_changes(starter_flags):
    saddle_case()
    rows = list(RedFlag.objects.filter(slug__in=["fever", "saddle_numbness"]))
    after = guards.current_states()
    after = [
        guards.FlagState(
            s.slug, s.urgency, s.derived, s.published and s.slug not in ("fever", "saddle_numbness")
        )
        for s in after
    ]
    with pytest.raises(guards.ChangeRefused):
        with guards.checked_as_a_whole(after):
            for row in rows:
                row.status = Status.DRAFT
                row.save()
    assert RedFlag.objects.published().filter(slug__in=["fever", "saddle_numbness"]).count() == 2
