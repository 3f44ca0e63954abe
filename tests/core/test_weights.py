"""Backbone weights: download with progress/cancel from a local server, offline message, local files."""
from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest
import torch

from rmadapter_app.core import events as E
from rmadapter_app.core.model.backbone import load_backbone
from rmadapter_app.core.errors import BackboneUnavailableError, CancelledError
from rmadapter_app.core.model.backbone import import_weights
from rmadapter_app.core.model.weights import cached_weights, ensure_pretrained

PAYLOAD = bytes(range(256)) * 4096 * 3   # 3 MiB


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if not self.path.endswith("open_clip_pytorch_model.bin"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(PAYLOAD)))
        self.end_headers()
        for i in range(0, len(PAYLOAD), 1 << 18):
            self.wfile.write(PAYLOAD[i:i + (1 << 18)])

    def log_message(self, *args):
        pass


@pytest.fixture
def hub(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    yield server
    server.shutdown()


def test_download_reports_progress_and_lands_in_cache(hub):
    events = []
    path = ensure_pretrained("ViT-B-16", "openai", on_event=events.append)
    assert path.read_bytes() == PAYLOAD and path.name == "open_clip_pytorch_model.bin"
    progress = [e for e in events if isinstance(e, E.DownloadEvent)]
    assert progress[-1].done_bytes == progress[-1].total_bytes == len(PAYLOAD)
    assert len(progress) > 2 and all(a.done_bytes <= b.done_bytes for a, b in zip(progress, progress[1:]))
    assert cached_weights("ViT-B-16", "openai") == path
    assert ensure_pretrained("ViT-B-16", "openai") == path  # second call: no download


def test_cancelled_download_leaves_nothing(hub):
    seen = []
    with pytest.raises(CancelledError):
        ensure_pretrained("ViT-B-16", "openai", on_event=seen.append,
                          should_stop=lambda: sum(isinstance(e, E.DownloadEvent) for e in seen) > 1)
    assert cached_weights("ViT-B-16", "openai") is None
    folder = next(iter(p for p in __import__("rmadapter_app.core.paths", fromlist=["x"]).weights_dir().rglob("*")
                       if p.is_file()), None)
    assert folder is None


def test_offline_fails_fast_with_a_useful_message(monkeypatch):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()   # nothing listens here: connection refused, like a machine without network
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    start = time.monotonic()
    with pytest.raises(BackboneUnavailableError) as info:
        load_backbone("ViT-B-32", pretrained="laion2b_s34b_b79k")
    assert time.monotonic() - start < 10
    msg = str(info.value)
    assert "open_clip_model.safetensors" in msg and "import" in msg.lower()


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
