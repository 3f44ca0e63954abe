"""Choosing the compute device (CUDA, MPS, CPU) and describing it in plain words."""
from __future__ import annotations

import os
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class DeviceInfo:
    """The device a job runs on, and what the user should be told about it."""

    device: torch.device
    description: str          # "NVIDIA H100 80GB HBM3 (CUDA, 79.1 GB)", "CPU (2 threads)"
    amp_dtype: torch.dtype | None  # autocast dtype on CUDA, None elsewhere
    warning: str = ""          # e.g. a GPU exists but the user chose the CPU

    @property
    def kind(self) -> str:
        return self.device.type


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps and mps.is_available())


def gpu_available() -> bool:
    """True when a CUDA or MPS device can be used."""
    return torch.cuda.is_available() or _mps_available()


def resolve_device(choice: str = "auto", amp: bool = True) -> DeviceInfo:
    """Turn "auto" / "cpu" / "cuda[:N]" / "mps" into a usable device.

    Raises:
        ValueError: an explicitly requested GPU is not available.
    """
    choice = (choice or "auto").lower()
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else ("mps" if _mps_available() else "cpu")
    if choice.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError("CUDA was requested but no CUDA GPU is available; use --device cpu or auto")
        dev = torch.device(choice)
        props = torch.cuda.get_device_properties(dev)
        dtype = None
        if amp:
            dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        mem = props.total_memory / 1024 ** 3
        return DeviceInfo(dev, f"{props.name} (CUDA, {mem:.1f} GB)", dtype)
    if choice == "mps":
        if not _mps_available():
            raise ValueError("MPS was requested but is not available on this machine")
        return DeviceInfo(torch.device("mps"), "Apple GPU (MPS)", None)
    if choice == "cpu":
        warning = ""
        if gpu_available():
            warning = "A GPU is available but training runs on the CPU, which is much slower."
        threads = torch.get_num_threads()
        return DeviceInfo(torch.device("cpu"), f"CPU ({threads} threads, {os.cpu_count()} cores)", None, warning)
    raise ValueError(f"unknown device {choice!r}; use auto, cpu, cuda, cuda:N or mps")
