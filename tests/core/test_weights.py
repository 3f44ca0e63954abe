"""Backbone weights: downloads through huggingface_hub (a fake hub: the network is never touched), the
shared hub cache, Stop, offline messages, local files."""
from __future__ import annotations

import errno
import hashlib
import time

import pytest
import torch

from rmadapter_app.core import events as E
from rmadapter_app.core import paths
from rmadapter_app.core.errors import BackboneUnavailableError, CancelledError
from rmadapter_app.core.model import weights as W
from rmadapter_app.core.model.backbone import import_weights, load_backbone
from rmadapter_app.core.model.weights import cached_weights, ensure_pretrained

PAYLOAD = bytes(range(256)) * 4096 * 3   # 3 MiB
B16 = "timm/vit_base_patch16_clip_224.openai"            # open_clip's hub repo for ViT-B-16 'openai'
B32_LAION = "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"


def _files_in(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()) if folder.exists() else []


class FakeHub:
    """Stands in for ``huggingface_hub.hf_hub_download``: the hub cache layout, a tqdm bar, errors.

    Like the real function it streams into a temporary file beside the blob, reports each chunk
    to ``tqdm_class``, deletes the temporary file when anything raises, and only then links the
    finished blob under ``snapshots/<commit>/<filename>`` (so ``try_to_load_from_cache`` finds it).
    """

    COMMIT = "0" * 40

    def __init__(self):
        self.files: dict[tuple[str, str], bytes] = {}
        self.calls: list[tuple[str, str]] = []
        self.error: Exception | None = None       # raised instead of serving (no network, disk full...)
        self.xet_was_disabled: list[bool] = []

    def put(self, repo_id: str, filename: str, data: bytes = PAYLOAD) -> None:
        self.files[(repo_id, filename)] = data

    def store(self, cache_dir, repo_id: str, filename: str, data: bytes = PAYLOAD):
        """Put a file straight into the cache, as another tool's earlier download would have."""
        repo = cache_dir / ("models--" + repo_id.replace("/", "--"))
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        (repo / "refs").mkdir(exist_ok=True)
        (repo / "refs" / "main").write_text(self.COMMIT)
        link = repo / "snapshots" / self.COMMIT / filename
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(blob)
        return link

    def hf_hub_download(self, repo_id, filename, *, cache_dir=None, tqdm_class=None, **_kw):
        import httpx2
        from huggingface_hub import constants, errors

        self.calls.append((repo_id, filename))
        self.xet_was_disabled.append(constants.HF_HUB_DISABLE_XET)
        if self.error is not None:
            raise self.error
        if (repo_id, filename) not in self.files:
            response = httpx2.Response(404, request=httpx2.Request("GET", f"https://hub/{repo_id}/{filename}"))
            raise errors.RemoteEntryNotFoundError("404 Client Error: Entry Not Found", response=response)
        data = self.files[(repo_id, filename)]
        repo = cache_dir / ("models--" + repo_id.replace("/", "--"))
        tmp = repo / "blobs" / (hashlib.sha256(data).hexdigest() + ".x1.incomplete")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(tmp, "wb") as out, tqdm_class(total=len(data), initial=0, unit="B", unit_scale=True,
                                                   desc=filename) as bar:
                for i in range(0, len(data), 1 << 18):
                    bar.update(len(data[i:i + (1 << 18)]))
                    out.write(data[i:i + (1 << 18)])
            tmp.unlink()
            return str(self.store(cache_dir, repo_id, filename, data))
        finally:
            tmp.unlink(missing_ok=True)


@pytest.fixture
def hub_cache(tmp_path, monkeypatch):
    """An empty shared hub cache for this test (HF_HUB_CACHE)."""
    cache = tmp_path / "hf-hub-cache"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    return cache


@pytest.fixture
def hub(hub_cache, monkeypatch):
    """A reachable fake hub: online mode, huggingface_hub.hf_hub_download replaced."""
    import huggingface_hub
    from huggingface_hub import constants

    fake = FakeHub()
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub, "hf_hub_download", fake.hf_hub_download)
    return fake


def test_hub_files_come_from_open_clips_registry():
    import open_clip

    assert open_clip.get_pretrained_cfg("ViT-B-16", "openai")["hf_hub"] == B16 + "/"
    assert [(f.repo_id, f.filename) for f in W.hub_files("ViT-B-16", "openai")] == [
        (B16, "open_clip_model.safetensors"), (B16, "open_clip_pytorch_model.bin")]
    entry = open_clip.get_pretrained_cfg("ViTamin-B", "datacomp1b")["hf_hub"]     # names its own file
    repo = entry.rsplit("/", 1)[0]
    assert [(f.repo_id, f.filename) for f in W.hub_files("ViTamin-B", "datacomp1b")] == [
        (repo, "pytorch_model.safetensors"), (repo, "pytorch_model.bin")]


def test_download_reports_progress_and_lands_in_the_hub_cache(hub, hub_cache):
    from huggingface_hub import constants

    hub.put(B16, "open_clip_pytorch_model.bin")             # no safetensors on this repo: the .bin is next
    xet, chunk = constants.HF_HUB_DISABLE_XET, constants.DOWNLOAD_CHUNK_SIZE
    events = []
    path = ensure_pretrained("ViT-B-16", "openai", on_event=events.append)
    assert path.read_bytes() == PAYLOAD and path.name == "open_clip_pytorch_model.bin"
    assert hub_cache in path.parents and _files_in(paths.weights_dir()) == []   # the app's folder: imports only
    assert hub.calls == [(B16, "open_clip_model.safetensors"), (B16, "open_clip_pytorch_model.bin")]
    progress = [e for e in events if isinstance(e, E.DownloadEvent)]
    assert progress[-1].done_bytes == progress[-1].total_bytes == len(PAYLOAD)
    assert len(progress) > 2 and all(a.done_bytes <= b.done_bytes for a, b in zip(progress, progress[1:]))
    assert {e.filename for e in progress} == {"open_clip_pytorch_model.bin"}
    assert hub.xet_was_disabled == [True, True]             # the stoppable HTTP path, then put back
    assert (constants.HF_HUB_DISABLE_XET, constants.DOWNLOAD_CHUNK_SIZE) == (xet, chunk)
    assert cached_weights("ViT-B-16", "openai") == path
    assert ensure_pretrained("ViT-B-16", "openai") == path  # second call: no download
    assert len(hub.calls) == 2


def test_a_file_already_in_the_hub_cache_needs_no_network(hub, hub_cache, monkeypatch):
    """Another tool's download of the same weights is used as it is: no request, not even offline."""
    stored = hub.store(hub_cache, B32_LAION, "open_clip_model.safetensors")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    hub.error = AssertionError("the network was used")
    assert cached_weights("ViT-B-32", "laion2b_s34b_b79k") == stored
    assert ensure_pretrained("ViT-B-32", "laion2b_s34b_b79k") == stored
    assert hub.calls == [] and _files_in(paths.weights_dir()) == []


def test_hub_cache_follows_hf_home(tmp_path, monkeypatch):
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert W.hub_cache_dir() == tmp_path / "hf" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "elsewhere"))
    assert W.hub_cache_dir() == tmp_path / "elsewhere"


def test_cancelled_download_leaves_nothing(hub, hub_cache):
    from huggingface_hub import constants

    xet = constants.HF_HUB_DISABLE_XET
    hub.put(B16, "open_clip_model.safetensors")
    seen = []
    with pytest.raises(CancelledError):
        ensure_pretrained("ViT-B-16", "openai", on_event=seen.append,
                          should_stop=lambda: sum(isinstance(e, E.DownloadEvent) for e in seen) > 1)
    assert 1 < len(seen) < 12                                # stopped at the next chunk, not at the end
    assert cached_weights("ViT-B-16", "openai") is None
    assert _files_in(hub_cache) == [] and _files_in(paths.weights_dir()) == []
    assert hub.calls == [(B16, "open_clip_model.safetensors")]   # a stop is not a reason to try the .bin
    assert constants.HF_HUB_DISABLE_XET == xet


def test_offline_fails_fast_with_a_useful_message(hub_cache, monkeypatch):
    import huggingface_hub

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub, "hf_hub_download",
                        lambda *a, **k: pytest.fail("offline mode must not try the hub"))
    start = time.monotonic()
    with pytest.raises(BackboneUnavailableError) as info:
        load_backbone("ViT-B-32", pretrained="laion2b_s34b_b79k")
    assert time.monotonic() - start < 10
    msg = str(info.value)
    assert "open_clip_model.safetensors" in msg and "import" in msg.lower()
    assert "Connect to the internet" in msg and "HF_HUB_OFFLINE" in msg


@pytest.mark.parametrize("failure", ["no connection", "refused", "disk full"])
def test_network_and_disk_failures_are_plain_sentences(hub, failure):
    from huggingface_hub import errors

    hub.put(B16, "open_clip_model.safetensors")
    hub.error = {
        # what hf_hub_download raises when the hub cannot be reached and nothing is cached
        "no connection": errors.LocalEntryNotFoundError("An error happened while trying to locate the file "
                                                        "on the Hub [Errno -3] Temporary failure"),
        # an HTTP client error that escaped huggingface_hub's retries
        "refused": type("ConnectError", (Exception,), {})("[Errno 111] Connection refused"),
        "disk full": OSError(errno.ENOSPC, "No space left on device"),
    }[failure]
    with pytest.raises(BackboneUnavailableError) as info:
        ensure_pretrained("ViT-B-16", "openai")
    msg = str(info.value)
    assert "Errno" not in msg and len(msg.splitlines()) == 1
    if failure == "disk full":
        assert "could not be saved" in msg and "No space left on device" in msg and "HF_HUB_CACHE" in msg
    else:
        assert "Connect to the internet" in msg and "import" in msg.lower()
    assert len(hub.calls) == 1                               # the network is down: the .bin is not tried


def test_real_hf_hub_download_with_the_progress_class(hub_cache, monkeypatch):
    """huggingface_hub's own download code, its HTTP layer faked: events, then Stop leaves nothing."""
    from contextlib import contextmanager

    import httpx2
    from huggingface_hub import constants, file_download

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    try:
        metadata = file_download.HfFileMetadata(commit_hash=FakeHub.COMMIT, etag="e" * 64,
                                                location="https://hub.invalid/file", size=len(PAYLOAD),
                                                xet_file_data=None)
        monkeypatch.setattr(file_download, "get_hf_file_metadata", lambda *a, **k: metadata)
        monkeypatch.setattr(file_download, "http_stream_backoff", None)
    except (AttributeError, TypeError) as exc:   # another huggingface_hub layout: the fake-hub tests still run
        pytest.skip(f"huggingface_hub internals changed: {exc}")

    class Body(httpx2.SyncByteStream):
        def __iter__(self):                  # the server's pieces; the client re-chunks them
            for i in range(0, len(PAYLOAD), 1 << 18):
                yield PAYLOAD[i:i + (1 << 18)]

    @contextmanager
    def stream(method, url, **_kw):
        assert url == "https://hub.invalid/file"
        yield httpx2.Response(200, headers={"Content-Length": str(len(PAYLOAD))}, stream=Body(),
                              request=httpx2.Request(method, url))

    monkeypatch.setattr(file_download, "http_stream_backoff", stream)
    seen = []
    with pytest.raises(CancelledError):
        ensure_pretrained("ViT-B-16", "openai", on_event=seen.append,
                          should_stop=lambda: sum(isinstance(e, E.DownloadEvent) for e in seen) > 1)
    left = [p.relative_to(hub_cache).parts for p in _files_in(hub_cache)]
    assert not [p for p in left if "blobs" in p or "snapshots" in p or p[-1].endswith(".incomplete")], left
    assert cached_weights("ViT-B-16", "openai") is None

    seen.clear()
    path = ensure_pretrained("ViT-B-16", "openai", on_event=seen.append)
    assert path.read_bytes() == PAYLOAD and hub_cache in path.parents
    progress = [e.done_bytes for e in seen if isinstance(e, E.DownloadEvent)]
    assert progress == [0, 1 << 20, 2 << 20, 3 << 20] and seen[-1].total_bytes == len(PAYLOAD)   # 1 MiB chunks
    assert cached_weights("ViT-B-16", "openai") == path


def test_unknown_tag_lists_the_known_ones():
    with pytest.raises(BackboneUnavailableError, match="openai"):
        ensure_pretrained("ViT-B-16", "no-such-tag")


def test_local_weights_safetensors_and_state_dict(tmp_path, tiny_config, tiny_backbone):
    from safetensors.torch import save_file
    state = {k: v.contiguous() for k, v in tiny_backbone.model.state_dict().items()}
    st = tmp_path / "tiny.safetensors"
    save_file(state, str(st))
    pt = tmp_path / "tiny.bin"
    torch.save(state, pt)
    a = load_backbone(model_config=tiny_config, weights=st)
    b = load_backbone(model_config=tiny_config, weights=pt)
    for k, v in state.items():
        assert torch.equal(a.model.state_dict()[k], v) and torch.equal(b.model.state_dict()[k], v)
    assert a.info.weights_sha256 and a.info.weights_sha256 != b.info.weights_sha256

    cached = import_weights(st, "tiny-vit", "mytag")
    c = load_backbone("tiny-vit", pretrained="mytag")
    assert c.info.weights_sha256 == a.info.weights_sha256 and c.info.pretrained == "mytag"
    assert cached.read_bytes() == st.read_bytes() and st.exists()


class Evil:
    def __reduce__(self):
        return (print, ("pickle code ran",))


def test_pickled_objects_are_never_executed(tmp_path, tiny_config, capsys):
    evil = tmp_path / "evil.bin"
    torch.save({"x": Evil()}, evil)
    capsys.readouterr()
    with pytest.raises(BackboneUnavailableError, match="does not fit|damaged"):
        load_backbone(model_config=tiny_config, weights=evil)
    assert "pickle code ran" not in capsys.readouterr().out


def test_wrong_architecture_checkpoint_is_named(tmp_path, tiny_config):
    from safetensors.torch import save_file
    save_file({"foo": torch.zeros(3)}, str(tmp_path / "other.safetensors"))
    with pytest.raises(BackboneUnavailableError, match="other.safetensors does not fit"):
        load_backbone(model_config=tiny_config, weights=tmp_path / "other.safetensors")
