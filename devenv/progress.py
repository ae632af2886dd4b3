"""What one pull or one build has done so far, from the engine's own stream: pure bookkeeping
the terminal turns into one bar per image (ui.py) or into plain lines when the output is piped.

A pull reports per layer: "Pulling fs layer", "Downloading" with byte counts, "Download
complete", "Extracting", "Pull complete", or "Already exists" for a layer the engine has. A
build on the classic builder prints "Step 3/7 : RUN …" before each instruction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

LAYER_ID = re.compile(r"^[0-9a-f]{12}$")
FINISHED = ("Pull complete", "Already exists")
DOWNLOADED = ("Download complete", "Verifying Checksum", "Extracting", "Pull complete")
STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$")


@dataclass
class PullTally:
    """Layers and bytes of one image's pull."""

    sizes: dict[str, int] = field(default_factory=dict)  # layer → its download size, once known
    fetched: dict[str, int] = field(default_factory=dict)  # layer → bytes downloaded so far
    layers: list[str] = field(default_factory=list)  # in the order the engine named them
    finished: set[str] = field(default_factory=set)
    reused: set[str] = field(default_factory=set)  # already on this machine

    def feed(self, event: dict[str, Any]) -> str | None:
        """Take one event of the pull stream; the status, when this event finished a layer."""
        layer, status = event.get("id"), str(event.get("status", ""))
        if not isinstance(layer, str) or not LAYER_ID.match(layer):  # "Pulling from …" carries the tag
            return None
        if layer not in self.layers:
            self.layers.append(layer)
        detail = event.get("progressDetail") or {}
        if status == "Downloading":
            if detail.get("total"):
                self.sizes[layer] = int(detail["total"])
            self.fetched[layer] = int(detail.get("current") or 0)
        elif status in DOWNLOADED and layer in self.sizes:
            self.fetched[layer] = self.sizes[layer]
        if status in FINISHED and layer not in self.finished:
            self.finished.add(layer)
            if status == "Already exists":
                self.reused.add(layer)
            return status
        return None

    @property
    def bytes_done(self) -> int:
        return sum(self.fetched.values())

    @property
    def bytes_total(self) -> int | None:
        """The bytes to download, once every layer still to fetch has said its size."""
        pending = [layer for layer in self.layers if layer not in self.reused]
        if any(layer not in self.sizes and layer not in self.finished for layer in pending):
            return None
        return sum(self.sizes.get(layer, 0) for layer in pending)

    def summary(self) -> str:
        """"3/4 layers, 12.5 MB": how far it got (or what it took, once done)."""
        text = f"{len(self.finished)}/{len(self.layers)} layers"
        if self.reused:
            text += f" ({len(self.reused)} already here)"
        return f"{text}, {human_bytes(self.bytes_done)}" if self.sizes else text


@dataclass
class BuildTally:
    """Steps of one build on the classic builder."""

    step: int = 0
    steps: int | None = None
    doing: str = ""

    def feed(self, line: str) -> bool:
        """Take one line of the build output; whether it started a step."""
        match = STEP.match(line.strip())
        if not match:
            return False
        self.step, self.steps, self.doing = int(match.group(1)), int(match.group(2)), match.group(3)
        return True

    def summary(self) -> str:
        return f"step {self.step}/{self.steps}: {self.doing}" if self.steps else "starting"


def human_bytes(count: float) -> str:
    """1.5 kB, 12.3 MB, 1.1 GB: decimal units, as `docker pull` prints them."""
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")
