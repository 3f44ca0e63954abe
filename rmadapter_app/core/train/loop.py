"""Training RMAdapter: ``train(...)`` with ``on_event`` / ``should_stop`` hooks, no printing, no files.

``train`` runs the stages in order, each a function with a typed result:

1. data preparation (:mod:`.prepare`): the class list, then readable images -> ``PreparedData``;
2. the validation split (:func:`.data.make_split`) -> ``Split``;
3. caching (:mod:`.feature_cache`): frozen prefix and frozen features of every view, once -> ``FeatureCache``;
4. the zero-shot baseline (:mod:`.evaluate`) -> ``ZeroShot``;
5. the loss balance (:mod:`.balance`): each auxiliary term's weight set from its step-0 gradient
   relative to the cross-entropy's -> the run's ``LossConfig``; the learning rate
   (:mod:`.learning_rate`): the configured one or the automatic one -> ``LRChoice``;
6. the fits (:mod:`.fit`): AdamW on the adapter parameters only (MMA's budget: 5 epochs of augmented
   views) with the RMAdapter losses -> ``FitOutcome`` per fit, ``SplitFits`` for the split. Below
   15 images per class the run is cross-validated: the adapter it keeps is trained on every image
   first and handed out (:class:`AdapterReadyEvent`), then the folds estimate its accuracy;
7. the evaluation and the report (:mod:`.evaluate`, :mod:`.result`, :mod:`.verdict`) -> ``TrainResult``.

A stop request ends the run within one step and still returns the adapter trained so far.
"""
from __future__ import annotations

import time
from collections.abc import Sequence

from rmadapter_app.core.config import AdapterConfig, TrainConfig
from rmadapter_app.core.errors import CancelledError
from rmadapter_app.core.events import (
    AdapterReadyEvent,
    DeviceEvent,
    EventHook,
    StatusEvent,
    StopHook,
    ZeroShotEvent,
    never_stop,
    no_event,
)
from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.naming import DEFAULT_TEMPLATE
from rmadapter_app.core.train.balance import balance_losses, weights_of
from rmadapter_app.core.train.data import Sample, make_split
from rmadapter_app.core.train.evaluate import changed_predictions, evaluate, predict, zero_shot
from rmadapter_app.core.train.feature_cache import build_feature_cache
from rmadapter_app.core.train.fit import FitOutcome, Fitter, final_indices, fit_split, seed_everything
from rmadapter_app.core.train.learning_rate import LearningRateEvent, choose_lr, layer_steps
from rmadapter_app.core.train.prepare import prepare_data, set_up_run
from rmadapter_app.core.train.result import Reporter, RunFacts, TrainResult
from rmadapter_app.core.train.verdict import judge_run

# names other modules import from here
__all__ = ["AdapterReadyEvent", "FitOutcome", "LearningRateEvent", "TrainResult", "seed_everything", "train"]


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
        adapter_config, config: adapter shape and training recipe (defaults: the paper's, with
            the learning rate chosen for this backbone and these images).
        on_event: receives StatusEvent, DeviceEvent, ProgressEvent, ZeroShotEvent, LearningRateEvent,
            StepEvent, EpochEvent, AdapterReadyEvent, FoldEvent.
        should_stop: polled before every step and every caching batch.

    Returns:
        TrainResult; ``stopped_early`` when ``should_stop`` ended the run; ``report.verdict`` says
        in words whether training helped.

    Raises:
        DatasetError: no classes, or no readable image at all.
        CancelledError: stopped before any training step ran (nothing to keep).
    """
    on_event = on_event or no_event
    should_stop = should_stop or never_stop
    run = set_up_run(backbone, samples, class_names, prompts, config, adapter_config, template)
    cfg, adapter_cfg, classes, dev = run.config, run.adapter_config, run.classes, run.device
    on_event(DeviceEvent(dev.description, dev.kind, dev.warning))
    seed_everything(cfg.seed)
    data = prepare_data(samples, cfg.shots, cfg.seed, on_event)
    split = make_split(data.labels.tolist(), cfg.validation, cfg.val_fraction, cfg.folds, cfg.seed)
    on_event(StatusEvent(f"{len(data)} images, {len(classes.names)} classes; {split.reason}"))

    features = build_feature_cache(backbone, adapter_cfg, cfg, dev, data.paths, classes.prompts,
                                   on_event=on_event, should_stop=should_stop)
    fitter = Fitter(backbone, adapter_cfg, cfg, dev, data, classes.prompts, features, on_event, should_stop)
    everyone = list(range(len(data)))
    frozen_probs = predict(features.model, features, everyone, dev, adapted=False)
    baseline = zero_shot(features, data.labels, split, dev)
    if baseline.accuracy is not None:
        on_event(ZeroShotEvent(baseline.accuracy, baseline.n_images, split.scheme))

    train_idx = final_indices(split, len(data))[0]
    if cfg.loss.balance:
        fitter.loss_cfg = balance_losses(fitter, train_idx)
    choice = choose_lr(cfg)
    fitter.lr = choice.lr
    steps = layer_steps(adapter_cfg.bottleneck, backbone.info.vision_width, backbone.info.text_width, choice.lr)
    on_event(LearningRateEvent(choice.lr, choice.auto, steps, choice.reason))

    report = Reporter(cfg, split, baseline, classes, data,
                      RunFacts(len(data), len(classes.names), 0.0, dev.description, len(data.skipped), choice.lr,
                               choice.auto, steps, cfg.n_epochs, 1 + cfg.n_augment_views, weights_of(fitter.loss_cfg)))

    def on_final(final: FitOutcome) -> None:
        if final.steps == 0:
            raise CancelledError("Training was stopped before the first step; nothing to keep.")
        if split.scheme == "kfold" and not final.stopped:
            on_event(AdapterReadyEvent(report.pending(final, seconds=time.perf_counter() - fitter.t0)))

    fits = fit_split(fitter, split, len(classes.names), on_event, frozen_probs, on_final)
    evaluation = evaluate(fits.val_probs, data.labels, fits.evaluated, classes.names, data.paths)
    changed = changed_predictions(fitter.predictions(fits.final.adapter_state, everyone), frozen_probs)
    verdict = judge_run(scheme=split.scheme, fits=fits, evaluation=evaluation, frozen_probs=frozen_probs,
                        labels=data.labels, changed=changed, n_classes=len(classes.names),
                        backbone=backbone.info.label)
    state = "none" if split.scheme == "none" else ("stopped" if fits.stopped else "done")
    result = report.result(fits, evaluation, seconds=time.perf_counter() - fitter.t0, state=state,
                           changed=changed, verdict=verdict)
    if split.scheme != "kfold":
        on_event(AdapterReadyEvent(result))
    return result
