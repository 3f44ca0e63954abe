"""Training RMAdapter: ``train(...)`` with ``on_event`` / ``should_stop`` hooks, no printing, no files.

``train`` runs the stages in order, each a function with a typed result:

1. data preparation (:mod:`.prepare`): the class list, then readable images -> ``PreparedData``;
2. the validation split (:func:`.data.make_split`) -> ``Split``;
3. caching (:mod:`.feature_cache`): frozen prefix and frozen features, once -> ``FeatureCache``;
4. the zero-shot baseline and, after training, the evaluation (:mod:`.evaluate`) -> ``ZeroShot``,
   ``Evaluation``;
5. the fits (:mod:`.fit`): SGD on the adapter parameters only (MMA's recipe) with the RMAdapter
   losses -> ``FitOutcome`` per fit, ``SplitFits`` for the split. Few-shot data without room for
   a holdout split is cross-validated and the final adapter is trained on every image;
6. the report (:mod:`.result`) -> ``TrainResult``.

A stop request ends the run within one step and still returns the adapter trained so far.
"""
from __future__ import annotations

import time
from collections.abc import Sequence

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.device import resolve_device
from rmadapter_app.core.errors import CancelledError
from rmadapter_app.core.events import DeviceEvent, EventHook, StatusEvent, StopHook, ZeroShotEvent, never_stop, no_event
from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.naming import DEFAULT_TEMPLATE
from rmadapter_app.core.train.data import Sample, make_split
from rmadapter_app.core.train.evaluate import evaluate, zero_shot
from rmadapter_app.core.train.feature_cache import build_feature_cache
from rmadapter_app.core.train.fit import MAX_AUTO_EPOCHS, FitOutcome, Fitter, auto_epochs, fit_split, seed_everything
from rmadapter_app.core.train.prepare import check_classes, prepare_data
from rmadapter_app.core.train.result import TrainResult, build_metrics

# names other modules have always imported from here
__all__ = ["MAX_AUTO_EPOCHS", "FitOutcome", "TrainResult", "auto_epochs", "seed_everything", "train"]


def train(backbone: Backbone, samples: Sequence[Sample], class_names: Sequence[str],
          prompts: Sequence[str] | None = None, *, adapter_config: AdapterConfig | None = None,
          config: TrainConfig | None = None, template: str = DEFAULT_TEMPLATE,
          on_event: EventHook | None = None, should_stop: StopHook | None = None) -> TrainResult:
    """Train an RMAdapter on labelled images.

    Args:
        backbone: frozen CLIP from :func:`rmadapter_app.core.model.backbone.load_backbone`.
        samples: (image path, class index) pairs; classes without images stay in the
            classifier, recognised from their names.
        class_names: names in label order.
        prompts: one prompt per class; default ``template.format(name)``.
        adapter_config, config: adapter shape and training recipe (defaults: the paper's).
        on_event: receives StatusEvent, DeviceEvent, ProgressEvent, ZeroShotEvent, StepEvent,
            EpochEvent, FoldEvent.
        should_stop: polled before every step and every caching batch.

    Returns:
        TrainResult; ``stopped_early`` when ``should_stop`` ended the run.

    Raises:
        DatasetError: no classes, or no readable image at all.
        CancelledError: stopped before any training step ran (nothing to keep).
    """
    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    cfg = config or TrainConfig()
    adapter_cfg = (adapter_config or AdapterConfig()).resolve_layers(
        backbone.info.vision_layers, backbone.info.text_layers)
    classes = check_classes(samples, class_names, prompts, template)

    dev = resolve_device(cfg.device, cfg.amp)
    backbone.to(dev.device)
    on_event(DeviceEvent(dev.description, dev.kind, dev.warning))
    seed_everything(cfg.seed)        # the caching stage's adapter init and augmented views draw from it
    data = prepare_data(samples, cfg.shots, cfg.seed, on_event)
    split = make_split(data.labels.tolist(), cfg.validation, cfg.val_fraction, cfg.folds, cfg.seed)
    on_event(StatusEvent(f"{len(data)} images, {len(classes.names)} classes; {split.reason}"))

    features = build_feature_cache(backbone, adapter_cfg, cfg, dev, data.paths, classes.prompts,
                                   on_event=on_event, should_stop=should_stop)
    fitter = Fitter(backbone, adapter_cfg, cfg, dev, data, classes.prompts, features, on_event, should_stop)
    baseline = zero_shot(features, data.labels, split, dev)
    if baseline.accuracy is not None:
        on_event(ZeroShotEvent(baseline.accuracy, baseline.n_images, split.scheme))

    fits = fit_split(fitter, split, len(classes.names), on_event)
    if fits.final.steps == 0:
        raise CancelledError("Training was stopped before the first step; nothing to keep.")

    evaluation = evaluate(fits.val_probs, data.labels, fits.evaluated, classes.names, data.paths)
    report = build_metrics(split=split, zero_shot=baseline, fits=fits, evaluation=evaluation,
                           n_images=len(data), n_classes=len(classes.names),
                           seconds=time.perf_counter() - fitter.t0, device=dev.description,
                           n_skipped=len(data.skipped))
    final = fits.final
    return TrainResult(final.adapter_state, final.adapter_config, cfg, classes.names, classes.prompts, report,
                       final.history, final.epochs, evaluation.predictions, data.skipped, fits.stopped)
