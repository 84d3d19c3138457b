"""The clinic's one settings row: its details and how it words the outcomes of the check."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from content.models.base import SHORT_TEXT, default_emergency_number, dial_string


class ClinicSettings(models.Model):
    """One row: the clinic's details and how it words the four outcomes of the check."""

    clinic_name = models.CharField(_("clinic name"), max_length=120, default="Your clinic (placeholder)")
    phone = models.CharField(_("phone"), max_length=40, default="555-0100 (placeholder)")
    address = models.TextField(
        _("address"), max_length=SHORT_TEXT, blank=True, default="1 Example Street, Sample Town (placeholder)"
    )
    opening_hours = models.TextField(
        _("opening hours"),
        max_length=SHORT_TEXT,
        blank=True,
        default="Monday to Friday, 8am to 6pm (placeholder)",
    )
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=20,
        default=default_emergency_number,
        help_text=_("Shown on every page as a call link."),
    )
    same_day_care = models.TextField(
        _("where to go for same-day care"),
        max_length=SHORT_TEXT,
        blank=True,
        default="Call the clinic, or go to the nearest urgent care centre (placeholder).",
    )
    emergency_heading = models.CharField(
        _("emergency: heading"), max_length=120, default="Call the emergency number now"
    )
    emergency_action = models.TextField(
        _("emergency: what to do"),
        max_length=SHORT_TEXT,
        default="Call the emergency number now, or have someone take you to the nearest emergency department. "
        "Do not drive yourself.",
    )
    emergency_timeframe = models.CharField(_("emergency: time frame"), max_length=120, default="Now")
    urgent_heading = models.CharField(
        _("urgent: heading"), max_length=120, default="Get seen by a doctor today"
    )
    urgent_action = models.TextField(
        _("urgent: what to do"),
        max_length=SHORT_TEXT,
        default="Call the clinic or go to an urgent care centre today. If it gets worse before then, call the "
        "emergency number.",
    )
    urgent_timeframe = models.CharField(_("urgent: time frame"), max_length=120, default="Today")
    gp_heading = models.CharField(
        _("GP: heading"), max_length=120, default="Book an appointment with your doctor"
    )
    gp_action = models.TextField(
        _("GP: what to do"),
        max_length=SHORT_TEXT,
        default="Book an appointment in the next few days. Meanwhile, look after your back at home with the plan below.",
    )
    gp_timeframe = models.CharField(_("GP: time frame"), max_length=120, default="In the next few days")
    self_care_heading = models.CharField(
        _("self-care: heading"), max_length=120, default="You can look after this at home"
    )
    self_care_action = models.TextField(
        _("self-care: what to do"),
        max_length=SHORT_TEXT,
        default="Most back spasms ease within days to a few weeks. Follow the plan below, and keep gently moving.",
    )
    self_care_timeframe = models.CharField(
        _("self-care: time frame"),
        max_length=120,
        default="See a doctor if it is not easing after a week or two",
    )
    see_a_doctor_if = models.TextField(
        _("see a doctor if"),
        max_length=SHORT_TEXT,
        blank=True,
        default="The pain is getting worse.\n"
        "It is no better after 2 weeks.\n"
        "Spasms keep coming back.\n"
        "It stops you sleeping or working.",
        help_text=_(
            "One reason a line, shown on the library's “When to get help” page after the warning signs. "
            "Printed sheets list only the warning signs that need care the same day."
        ),
    )

    class StaleSpanish(models.TextChoices):
        SPANISH = "spanish", _("Show the reviewed Spanish, with a short note that it may be out of date")
        ENGLISH = "english", _("Show the English, with a note in Spanish saying why")

    stale_spanish = models.CharField(
        _("when a Spanish text is out of date"),
        max_length=10,
        choices=StaleSpanish.choices,
        default=StaleSpanish.SPANISH,
        help_text=_(
            "A Spanish page is out of date when its English changed after the Spanish was written or "
            "last confirmed. Choose what Spanish readers see until a Spanish editor or reviewer catches up."
        ),
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("clinic settings")
        verbose_name_plural = _("clinic settings")
        # App-wide workflow permissions live here, on the one-row model, so they read "content.publish_content".
        permissions = [
            ("publish_content", "Can publish and unpublish clinical content"),
            ("review_content", "Can mark clinical content as reviewed"),
        ]

    def __str__(self) -> str:
        return str(_("Clinic settings"))

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row only
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ClinicSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def phone_tel(self) -> str:
        """The phone number for a tel: link: digits and a leading + only ("555-0100 (placeholder)" -> "5550100")."""
        return dial_string(self.phone)

    def see_a_doctor_list(self) -> list[str]:
        return [line.strip() for line in self.see_a_doctor_if.splitlines() if line.strip()]

    def care_card(self, level: str) -> dict[str, str]:
        """The clinic's wording for one outcome level: emergency, urgent, gp or self_care."""
        return {
            "level": level,
            "heading": getattr(self, f"{level}_heading"),
            "action": getattr(self, f"{level}_action"),
            "timeframe": getattr(self, f"{level}_timeframe"),
        }
