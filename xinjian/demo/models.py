"""The demo's hidden truth.

`HiddenTruth` holds the latent propensity that drove the synthetic history of each demo
enterprise. It exists only so that a model can be *measured* against the truth (ADR 0010).
Nothing that scores, classifies, discloses or shares may read it: the risk model sees the
same tables a real province has (penalties, inspections, reports…), never this one. A
test in `xinjian/demo/tests` fails if any module outside `xinjian.demo` imports it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HiddenTruth(models.Model):
    """The per-enterprise latent propensity (0–1) behind the demo history. Never read by
    scoring: it is the answer key, not a feature."""

    enterprise = models.OneToOneField(
        "registry.Enterprise", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    propensity = models.FloatField(_("潜在违规倾向"))
    seed = models.IntegerField(_("生成种子"))

    class Meta:
        verbose_name = _("演示数据真值（评分不得读取）")
        verbose_name_plural = _("演示数据真值（评分不得读取）")

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.propensity:.3f}"
