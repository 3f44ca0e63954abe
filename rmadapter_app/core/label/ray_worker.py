"""What runs on the Ray cluster's workers: read, hash, decode and encode images; nothing else.

:class:`ImageEncoder` is a Ray Data actor class (a plain Python class, usable without Ray): each
instance builds the classifier once from a :class:`ModelRecipe` (the backbone spec and the adapter
file's bytes, shipped by the driver) through ``Classifier.from_adapter_file`` / ``zero_shot``, checks
that it is the very model the driver holds (backbone and adapter identity), then turns batches of
paths, or of bytes the driver read (:func:`read_on_driver`), into content hashes and adapted
embeddings. Files are read and decoded exactly as the local engine does (``read_file_bytes``, then
``batches.prepare``: a JPEG decoded at the model's input size), on one thread per CPU of the worker.
The driver scores, thresholds and writes; workers never write a file.
"""
from __future__ import annotations

import hashlib
import os
import socket
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rmadapter_app.core.batches import ImageItem, input_side, prepare
from rmadapter_app.core.errors import ImageLoadError, RMAdapterError
from rmadapter_app.core.images import MAX_IMAGE_FILE_BYTES, check_image_file, read_file_bytes
from rmadapter_app.core.label.embedding_cache import classifier_identity
from rmadapter_app.core.model.spec import BackboneSpec


@dataclass(frozen=True)
class ModelRecipe:
    """Everything a worker needs to build the driver's classifier: spec, adapter bytes, expected identity.

    ``spec``'s local paths (``weights``, ``model_config``) must name the same files on every node; an
    open_clip tag is found or downloaded on each node as on this one.
    """

    spec: BackboneSpec
    adapter: bytes | None              # the adapter file's bytes; None: zero-shot
    class_names: tuple[str, ...]       # the driver's classes (a zero-shot classifier needs names)
    identity: tuple[str, str]          # classifier_identity of the driver's classifier

    @classmethod
    def of(cls, classifier, spec: BackboneSpec, adapter_path: Path | None) -> ModelRecipe:
        """The recipe for the driver's ``classifier``, built from ``spec`` and ``adapter_path`` (None: zero-shot).

        Raises:
            RMAdapterError: the backbone has random weights (each worker would draw others), or the
                classifier has an adapter but no adapter file was given (or the other way round).
        """
        if classifier.backbone.info.weights_sha256 is None:
            raise RMAdapterError("This backbone has random weights: every Ray worker would draw different ones. "
                                 "Give a weights file (--weights) that every node can read, or a pretrained tag.")
        if (adapter_path is None) != bool(classifier.is_zero_shot):
            raise RMAdapterError("The classifier and the adapter file given for the Ray workers do not match.")
        data = Path(adapter_path).read_bytes() if adapter_path is not None else None
        return cls(spec, data, tuple(classifier.class_names), tuple(classifier_identity(classifier)))

    def build(self, device: str = "cpu"):
        """The classifier on this worker, checked against the driver's identity.

        Raises:
            RMAdapterError: this node's backbone or adapter differs from the driver's (another weights
                file behind the same path, another open_clip version...), so its embeddings would too.
        """
        from rmadapter_app.core.classifier import Classifier

        if self.adapter is None:
            clf = Classifier.zero_shot(self.spec, list(self.class_names), device=device)
        else:
            with tempfile.TemporaryDirectory(prefix="rmadapter-ray-") as tmp:
                path = Path(tmp) / "adapter.rmadapter.safetensors"
                path.write_bytes(self.adapter)
                clf = Classifier.from_adapter_file(path, self.spec, device=device)
        got = tuple(classifier_identity(clf))
        if got != tuple(self.identity):
            clf.close()
            which = "backbone" if got[0] != self.identity[0] else "adapter"
            raise RMAdapterError(f"The Ray worker on {socket.gethostname()} built another {which} than the driver "
                                 f"({got[0 if which == 'backbone' else 1][:60]}... instead of "
                                 f"{self.identity[0 if which == 'backbone' else 1][:60]}...): every node must "
                                 "read the same weights and model files.")
        return clf


def read_on_driver(batch: dict) -> dict:
    """Ray Data stage pinned to the driver's node (``--ray-send-bytes``): each path's bytes and hash, or an error.

    Adds ``data`` (the file's bytes, empty on error), ``key`` (SHA-256) and ``error`` (empty when none).
    """
    datas, keys, errors = [], [], []
    for raw in batch["path"]:
        path = Path(str(raw))
        try:
            data, key = read_file_bytes(path)
            if data is None:       # over the read-once size: hashed in blocks, so read it whole here
                check_image_file(path)
                with open(path, "rb") as fh:
                    data = fh.read(MAX_IMAGE_FILE_BYTES + 1)
                if len(data) > MAX_IMAGE_FILE_BYTES:
                    raise ImageLoadError(f"{path.name}: the file is far larger than any image; skipped")
                key = hashlib.sha256(data).hexdigest()
        except ImageLoadError as exc:
            datas.append(b"")
            keys.append("")
            errors.append(str(exc))
        except OSError as exc:
            datas.append(b"")
            keys.append("")
            errors.append(f"{path.name}: cannot be read ({exc.strerror or exc})")
        else:
            datas.append(data)
            keys.append(key)
            errors.append("")
    out = dict(batch)
    out["data"] = np.array(datas, dtype=object)
    out["key"] = np.array(keys, dtype=object)
    out["error"] = np.array(errors, dtype=object)
    return out


class ImageEncoder:
    """A Ray Data actor: the classifier once, then batches -> ``index, key, error, embedding, worker``.

    Input columns: ``index`` and ``path``; with ``data``/``key``/``error`` (from :func:`read_on_driver`)
    the bytes are decoded as sent and the path is never opened.
    """

    def __init__(self, recipe: ModelRecipe, device: str = "cpu", threads: int = 1):
        import torch

        self.threads = max(1, int(threads))
        torch.set_num_threads(self.threads)
        self.classifier = recipe.build(device)
        self.preprocess = self.classifier.backbone.preprocess
        self.side = input_side(self.classifier.backbone)
        self.dim = int(self.classifier.backbone.info.embed_dim)
        self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="ray-image-decode")
        self.where = f"{socket.gethostname()}:{os.getpid()}"

    def _load(self, item: ImageItem, data: bytes | None, key: str, error: str) -> ImageItem:
        """Hash + decode + preprocess one image as the local engine does; errors become reasons."""
        if error:
            item.error = error
            return item
        if data is None:
            try:
                data, key = read_file_bytes(item.path)
            except ImageLoadError as exc:
                item.error = str(exc)
                return item
        item.key = key
        return prepare(item, self.preprocess, self.side, data=data)

    def __call__(self, batch: dict) -> dict:
        import torch

        index = np.asarray(batch["index"], dtype=np.int64)
        n = len(index)
        sent = "data" in batch
        datas = list(batch["data"]) if sent else [None] * n
        keys = [str(k) for k in batch["key"]] if sent else [""] * n
        errors = [str(e) for e in batch["error"]] if sent else [""] * n
        items = [ImageItem(int(i), Path(str(p))) for i, p in zip(index, batch["path"])]
        loaded = list(self.pool.map(self._load, items, [bytes(d) if d is not None else None for d in datas],
                                    keys, errors))
        emb = np.zeros((n, self.dim), dtype=np.float32)
        ok = [r for r, it in enumerate(loaded) if it.tensor is not None]
        if ok:
            with torch.no_grad():
                emb[ok] = self.classifier.embed(torch.stack([loaded[r].tensor for r in ok])).cpu().numpy()
        for it in loaded:
            it.tensor = None
        return {"index": index,
                "key": np.array([it.key or "" for it in loaded], dtype=object),
                "error": np.array([it.error or "" for it in loaded], dtype=object),
                "embedding": emb,
                "worker": np.array([self.where] * n, dtype=object)}
