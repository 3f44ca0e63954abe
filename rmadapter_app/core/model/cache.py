"""Backbones kept in memory between jobs: each spec is loaded once and reused.

Loading a CLIP reads (or downloads) hundreds of MB, so a long-lived process (the desktop app)
keeps the backbones it loaded in a :class:`BackboneCache` and hands the same object to every job
that asks for the same :class:`~rmadapter_app.core.model.spec.BackboneSpec`. Adapters are attached
per job and taken off afterwards (``Classifier.close``), so a cached backbone is always frozen CLIP.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from rmadapter_app.core.events import EventHook, StopHook
from rmadapter_app.core.model.spec import BackboneSpec

if TYPE_CHECKING:  # torch and open_clip load when the first backbone does, not when the GUI starts
    import torch

    from rmadapter_app.core.model.backbone import Backbone


def load_spec(spec: BackboneSpec, *, device: torch.device | str = "cpu", on_event: EventHook | None = None,
              should_stop: StopHook | None = None) -> Backbone:
    """Build the backbone ``spec`` names (may download weights; see ``backbone.load_backbone``).

    Raises:
        UnsupportedBackboneError, BackboneUnavailableError, CancelledError.
    """
    from rmadapter_app.core.model.backbone import load_backbone

    return load_backbone(**spec.load_arguments(), device=device, on_event=on_event, should_stop=should_stop)


class BackboneCache:
    """Loaded backbones by spec, at most ``capacity`` in memory (the oldest is dropped first).

    Thread-safe: :meth:`get` never waits for a load in progress (the GUI thread asks it), and
    :meth:`load` runs one load at a time, so two jobs asking for the same spec load it once.

    There is one backbone per spec, not one per device: :meth:`load` moves it to the device asked
    for (a no-op when it is there already). Jobs run one at a time, and two copies of a large model
    on two devices would double its memory.
    """

    def __init__(self, capacity: int = 1):
        self.capacity = max(1, int(capacity))
        self._backbones: OrderedDict[tuple, Backbone] = OrderedDict()
        self._lock = threading.Lock()          # guards _backbones
        self._loading = threading.Lock()       # one load at a time

    def get(self, spec: BackboneSpec) -> Backbone | None:
        """The loaded backbone for ``spec``, or None when it is not in memory (never loads)."""
        with self._lock:
            return self._backbones.get(spec.key())

    def load(self, spec: BackboneSpec, *, device: torch.device | str | None = None,
             on_event: EventHook | None = None, should_stop: StopHook | None = None) -> Backbone:
        """The backbone for ``spec``: from memory, else loaded now (call from a worker thread).

        ``device``: where the backbone should be (None: where it is; a new one is built on the CPU).

        Raises:
            UnsupportedBackboneError, BackboneUnavailableError, CancelledError: as BackboneSpec.load.
        """
        with self._loading:
            backbone = self.get(spec)
            if backbone is None:
                backbone = load_spec(spec, device="cpu", on_event=on_event, should_stop=should_stop)
                with self._lock:
                    self._backbones[spec.key()] = backbone
                    while len(self._backbones) > self.capacity:
                        self._backbones.popitem(last=False)
            if device is not None:
                import torch
                if torch.device(device) != backbone.device:
                    backbone.to(torch.device(device))
            return backbone

    def clear(self) -> None:
        """Forget every backbone (they are freed once no classifier holds them)."""
        with self._lock:
            self._backbones.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._backbones)
