"""Running the two towers in pieces: frozen prefix (cacheable) and adapted suffix.

The backbone is frozen and adapters start at block k, so everything below block k depends on
the input alone: :meth:`AdaptedCLIP.image_prefix` / :meth:`text_prefix` compute it once and a
training step runs only blocks k..K (:meth:`image_suffix` / :meth:`text_suffix`).

Text is exact with fewer positions: the text transformer is causal, so the end-of-text
feature depends only on positions up to it. Prompts are cut to the longest prompt's length
(plus the EOT token), and the reconstruction loss is taken over the real tokens of each prompt
(METHOD A11: padding after EOT is excluded), so cut and uncut runs give the same numbers.
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch.nn import functional as F

from rmadapter_app.core.model.backbone import Backbone
from rmadapter_app.core.model.inject import AttachHandle


@dataclass
class TextTokens:
    """Tokenised prompts, cut to the positions that matter."""

    ids: torch.Tensor     # [C, L] token ids
    eot: torch.Tensor     # [C] position of the pooled (end-of-text) token
    mask: torch.Tensor    # [C, L] 1.0 for real tokens (up to and including EOT)




class AdaptedCLIP:
    """A backbone with adapters attached, split at the first adapted block of each tower."""

    def __init__(self, backbone: Backbone, handle: AttachHandle):
        self.backbone = backbone
        self.handle = handle
        cfg = handle.adapters.cfg
        self.k_vision = min(cfg.vision_layers)
        self.k_text = min(cfg.text_layers)
        text = backbone.text
        self.pool_type = getattr(text, "text_pool_type", getattr(text, "pool_type", "argmax"))
        self.eos_id = getattr(text, "text_eos_id", getattr(text, "eos_id", None))

    # ------------------------------------------------------------------ switches
    @contextmanager
    def adapters_disabled(self):
        """Run as frozen CLIP: every AdaptedBlock returns exactly its block's output."""
        self.handle.set_enabled(False)
        try:
            yield
        finally:
            self.handle.set_enabled(True)

    @contextmanager
    def recon(self, tower: str, enabled: bool, mask: torch.Tensor | None = None):
        """Collect the local reconstruction losses of one tower during the enclosed forward."""
        blocks = self.handle.vision_blocks if tower == "visual" else self.handle.text_blocks
        for blk in blocks.values():
            blk.recon_enabled = enabled
            blk.token_mask = mask
            blk.recon_value = None
        try:
            yield
        finally:
            for blk in blocks.values():
                blk.recon_enabled = False
                blk.token_mask = None

    def _recon_sum(self, tower: str) -> torch.Tensor | None:
        blocks = self.handle.vision_blocks if tower == "visual" else self.handle.text_blocks
        values = [b.recon_value for b in blocks.values() if b.recon_value is not None]
        for b in blocks.values():
            b.recon_value = None
        return torch.stack(values).sum() if values else None

    # ------------------------------------------------------------------ generic block runner
    @staticmethod
    def _run(transformer, x: torch.Tensor, start: int, stop: int, attn_mask=None) -> torch.Tensor:
        """Run resblocks[start:stop] on batch-first x, whatever layout the transformer uses."""
        if not getattr(transformer, "batch_first", True):
            x = x.transpose(0, 1)
        for blk in transformer.resblocks[start:stop]:
            x = blk(x, attn_mask=attn_mask)
        if not getattr(transformer, "batch_first", True):
            x = x.transpose(0, 1)
        return x

    # ------------------------------------------------------------------ image tower
    @torch.no_grad()
    def image_prefix(self, images: torch.Tensor) -> torch.Tensor:
        """Frozen tokens entering the first adapted vision block. [B, N, D]"""
        visual = self.backbone.visual
        x = visual._embeds(images)
        return self._run(visual.transformer, x, 0, self.k_vision)

    def image_suffix(self, tokens: torch.Tensor, *, adapted: bool = True,
                     recon: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Blocks k..K and the head: image features [B, E] and the summed visual reconstruction loss."""
        visual = self.backbone.visual
        with self._maybe_disabled(adapted), self.recon("visual", recon and adapted):
            x = self._run(visual.transformer, tokens, self.k_vision, len(visual.transformer.resblocks))
            pooled, _ = visual._pool(x)
            if visual.proj is not None:
                pooled = pooled @ visual.proj
            rec = self._recon_sum("visual") if recon and adapted else None
        return pooled, rec

    def encode_image(self, images: torch.Tensor, *, adapted: bool = True) -> torch.Tensor:
        """Full image forward (prefix + suffix). [B, E]"""
        with torch.set_grad_enabled(torch.is_grad_enabled() and adapted):
            return self.image_suffix(self.image_prefix(images), adapted=adapted)[0]

    # ------------------------------------------------------------------ text tower
    def tokenize(self, prompts: Sequence[str], *, truncate: bool = True) -> TextTokens:
        """Tokenise prompts; with ``truncate`` keep only the positions up to the longest EOT."""
        ids = self.backbone.tokenizer(list(prompts)).to(self.backbone.device)   # [C, 77]
        if self.pool_type == "eos" and self.eos_id is not None:
            eot = (ids == self.eos_id).int().argmax(dim=-1)
        elif self.pool_type == "argmax":
            eot = ids.argmax(dim=-1)
        elif self.pool_type == "first":
            eot = torch.zeros(ids.shape[0], dtype=torch.long, device=ids.device)
        else:                                  # "last" pools the final position: nothing can be cut
            truncate = False
            eot = torch.full((ids.shape[0],), ids.shape[1] - 1, dtype=torch.long, device=ids.device)
        length = int(eot.max()) + 1 if truncate else ids.shape[1]
        ids = ids[:, :length]
        pos = torch.arange(length, device=ids.device)
        mask = (pos[None, :] <= eot[:, None]).float()
        return TextTokens(ids, eot, mask)

    def _attn_mask(self, length: int):
        mask = getattr(self.backbone.text, "attn_mask", None)
        return mask[:length, :length] if mask is not None else None

    @torch.no_grad()
    def text_prefix(self, tokens: TextTokens) -> torch.Tensor:
        """Frozen tokens entering the first adapted text block. [C, L, D]"""
        text = self.backbone.text
        cast = text.transformer.get_cast_dtype()
        length = tokens.ids.shape[1]
        x = text.token_embedding(tokens.ids).to(cast)
        x = x + text.positional_embedding[:length].to(cast)
        return self._run(text.transformer, x, 0, self.k_text, self._attn_mask(length))

    def text_suffix(self, x: torch.Tensor, tokens: TextTokens, *, adapted: bool = True,
                    recon: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Blocks k..K, final LN, EOT pooling and projection: text features [C, E] and the text recon loss."""
        text = self.backbone.text
        length = tokens.ids.shape[1]
        with self._maybe_disabled(adapted), self.recon("text", recon and adapted, tokens.mask):
            x = self._run(text.transformer, x, self.k_text, len(text.transformer.resblocks),
                          self._attn_mask(length))
            x = text.ln_final(x)
            pooled = x[torch.arange(x.shape[0], device=x.device), tokens.eot]   # [C, D]
            proj = text.text_projection
            if proj is not None:
                pooled = proj(pooled) if isinstance(proj, torch.nn.Linear) else pooled @ proj
            rec = self._recon_sum("text") if recon and adapted else None
        return pooled, rec

    def encode_text(self, prompts: Sequence[str], *, adapted: bool = True, truncate: bool = True) -> torch.Tensor:
        """Full text forward. [C, E]"""
        tokens = self.tokenize(prompts, truncate=truncate)
        with torch.set_grad_enabled(torch.is_grad_enabled() and adapted):
            return self.text_suffix(self.text_prefix(tokens), tokens, adapted=adapted)[0]

    # ------------------------------------------------------------------ head
    def logits(self, image_features: torch.Tensor, text_features: torch.Tensor) -> torch.Tensor:
        """CLIP's head: logit_scale * cosine similarity. [B, C]"""
        img = F.normalize(image_features.float(), dim=-1)
        txt = F.normalize(text_features.float(), dim=-1)
        return self.backbone.logit_scale.float() * img @ txt.t()

    @contextmanager
    def _maybe_disabled(self, adapted: bool):
        if adapted:
            yield
        else:
            with self.adapters_disabled():
                yield
