"""What the Label page runs on the job runner's worker thread: label, re-score, write, undo."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rmadapter_app.core.fileio import PARENS, free_path
from rmadapter_app.core.naming import DEFAULT_TEMPLATE
from rmadapter_app.gui.state import AppState, BackboneSpec

__all__ = ["DEFAULT_TEMPLATE", "JOB_LABEL", "JOB_RESCORE", "JOB_WRITE", "JOB_UNDO", "ClassifierChoice", "LabelJob",
           "RescoreJob", "WriteJob", "UndoJob", "LabelOutcome", "WriteOutcome"]

JOB_LABEL = "label images"
JOB_RESCORE = "re-score labels"
JOB_WRITE = "write labeled files"
JOB_UNDO = "undo labeled files"


@dataclass
class ClassifierChoice:
    """What to label with: an adapter file, or class names alone (zero-shot), plus names added by name."""

    spec: BackboneSpec
    adapter_path: Path | None
    names: list[str]
    extras: list[str]

    def key(self) -> tuple:
        if self.adapter_path is not None:
            p = Path(self.adapter_path)
            return ("file", str(p), p.stat().st_mtime_ns if p.exists() else 0, self.spec.key())
        return ("zero-shot", self.spec.key())

    def wanted_names(self) -> list[str]:
        """The class list to label with: the names, then the extras not already among them."""
        known = {n.casefold() for n in self.names}
        return list(self.names) + [e for e in self.extras if e.casefold() not in known]


def _prepare_classifier(state: AppState, choice: ClassifierChoice, clf, on_event, should_stop):
    """Build (or re-attach) the classifier on a worker thread and give it the wanted class list.

    The backbone comes from the app's backbone cache, on the best device; a classifier kept from
    the last run with the same choice is reused (its class text features are recomputed only
    when the class list changed).
    """
    from rmadapter_app.core.classifier import Classifier
    from rmadapter_app.core.device import resolve_device
    from rmadapter_app.core.events import DeviceEvent

    if clf is None:
        dev = resolve_device("auto")
        on_event(DeviceEvent(dev.description, dev.device.type))
        if choice.adapter_path is not None:
            from rmadapter_app.core.model.adapter_file import read_adapter_header
            spec = choice.spec.for_adapter(read_adapter_header(choice.adapter_path))
            clf = Classifier.from_adapter_file(choice.adapter_path, spec, device=dev.device,
                                               backbones=state.backbones, on_event=on_event, should_stop=should_stop)
        else:
            clf = Classifier.zero_shot(choice.spec, choice.names, template=DEFAULT_TEMPLATE, device=dev.device,
                                       backbones=state.backbones, on_event=on_event, should_stop=should_stop)
    else:
        clf.reattach()
    try:
        clf.set_added_classes(choice.extras, base_names=None if choice.adapter_path is not None else choice.names)
    except BaseException:
        clf.close()                        # never leave adapters on the shared backbone
        raise
    return clf


@dataclass
class LabelOutcome:
    run: Any                # core.label.engine.LabelRun
    classifier: Any         # detached Classifier, reused for re-scoring and the next run
    key: tuple


@dataclass
class LabelJob:
    """Label the sources (worker thread); resumes from the embedding cache."""

    state: AppState
    choice: ClassifierChoice
    classifier: Any
    sources: list[Path]
    recursive: bool
    batch_size: int
    ray_address: str | None = None      # decode and encode on this Ray cluster (None: on this computer)

    def __call__(self, on_event, should_stop) -> LabelOutcome:
        from rmadapter_app.core.label.engine import run_labeling

        clf = _prepare_classifier(self.state, self.choice, self.classifier, on_event, should_stop)
        try:
            if self.ray_address is not None:
                run = self._on_ray(clf, on_event, should_stop)
            else:
                run = run_labeling(clf, self.sources, recursive=self.recursive, batch_size=self.batch_size,
                                   on_event=on_event, should_stop=should_stop)   # gui.jobs throttles progress
        finally:
            clf.close()
        return LabelOutcome(run, clf, self.choice.key())

    def _on_ray(self, clf, on_event, should_stop):
        from rmadapter_app.core.label.cluster import RayOptions
        from rmadapter_app.core.label.ray_backend import label_on_ray
        from rmadapter_app.core.label.ray_worker import ModelRecipe
        from rmadapter_app.core.model.adapter_file import read_adapter_header

        path = self.choice.adapter_path
        spec = self.choice.spec.for_adapter(read_adapter_header(path)) if path is not None else self.choice.spec
        return label_on_ray(clf, self.sources, ModelRecipe.of(clf, spec, path), RayOptions(self.ray_address),
                            recursive=self.recursive, batch_size=self.batch_size, on_event=on_event,
                            should_stop=should_stop)


@dataclass
class RescoreJob:
    """New class list, same images: probabilities from the cached embeddings only."""

    state: AppState
    choice: ClassifierChoice
    classifier: Any
    run: Any

    def __call__(self, on_event, should_stop) -> LabelOutcome:
        from rmadapter_app.core.errors import RMAdapterError
        from rmadapter_app.core.label.engine import rescore

        clf = _prepare_classifier(self.state, self.choice, self.classifier, on_event, should_stop)
        clf.close()
        try:
            run = rescore(self.run, clf)
        except ValueError as exc:
            raise RMAdapterError("The classifier changed since these images were labeled, so their scores "
                                 "cannot be reused. Press Run to label them again.") from exc
        return LabelOutcome(run, clf, self.choice.key())


@dataclass
class WriteOutcome:
    plan: Any
    journal: Any
    reports: list[Path] = field(default_factory=list)


@dataclass
class WriteJob:
    """Plan, copy or move, and write the reports (worker thread)."""

    results: list
    plan_args: dict
    csv_path: Path | None
    json_path: Path | None
    meta: dict

    def __call__(self, on_event, should_stop) -> WriteOutcome:
        from rmadapter_app.core.label.plan import plan_labeling
        from rmadapter_app.core.label.reports import write_csv, write_json
        from rmadapter_app.core.label.write import apply_plan

        plan = plan_labeling(self.results, **self.plan_args)
        journal = apply_plan(plan, on_event=on_event, should_stop=should_stop)
        reports = []
        meta = dict(self.meta, journal=str(journal.path) if journal.path else None, stopped=journal.stopped)
        if self.csv_path is not None:
            reports.append(write_csv(free_path(self.csv_path, style=PARENS), self.results, plan))
        if self.json_path is not None:
            reports.append(write_json(free_path(self.json_path, style=PARENS), self.results, plan, meta))
        return WriteOutcome(plan, journal, reports)


@dataclass
class UndoJob:
    journal_path: Path

    def __call__(self, on_event, should_stop):
        from rmadapter_app.core.label.write import undo
        return undo(self.journal_path, on_event=on_event)
