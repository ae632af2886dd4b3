"""The run's outputs: a JSON file of every raw figure, a Markdown table, a PNG chart of the ratios."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

from bench.core import Measurement
from bench.stats import fmt_ratio, fmt_seconds, ratio, summary

PEER = "compose"
PEER_INIT = "compose-init"


def analyse(m: Measurement) -> dict:
    """A measurement's raw samples plus their summaries and devenv/peer ratios."""
    row = dataclasses.asdict(m)
    row["summary"] = {tool: summary(values) for tool, values in m.samples.items()}
    row["ratios"] = {}
    devenv = m.samples.get("devenv")
    for peer in (PEER, PEER_INIT):
        if devenv and m.samples.get(peer):
            row["ratios"][peer] = ratio(devenv, m.samples[peer])
    headline = row["ratios"].get(PEER, {})
    if m.abs_target is not None:
        own = row["summary"].get("devenv")
        row["target_met"] = None if not own else own["median"] <= m.abs_target
    elif m.target is None or not headline:
        row["target_met"] = None
    elif headline.get("both_zero"):
        row["target_met"] = True  # nothing smaller than zero: devenv is as low as it gets
    else:
        row["target_met"] = headline["ratio"] <= m.target
    return row


def run_document(*, measurements: list[Measurement], machine: dict, settings: dict, notes: list[str]) -> dict:
    return {"settings": settings, "machine": machine, "notes": notes,
            "measurements": [analyse(m) for m in measurements]}


def _value(value: float, unit: str) -> str:
    if unit == "s":
        return fmt_seconds(value)
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g}"


def cell(stats: dict | None, unit: str, *, latency: bool = False) -> str:
    if not stats or not stats.get("n"):
        return "–"
    if latency:
        return f"p50 {_value(stats['median'], unit)} · p95 {_value(stats['p95'], unit)}"
    text = _value(stats["median"], unit)
    if stats["n"] > 1 and stats["max"] != stats["min"]:
        text += f" ({_value(stats['p25'], unit)}–{_value(stats['p75'], unit)})"
    return text


def ratio_cell(r: dict | None) -> str:
    if not r:
        return "–"
    if r.get("both_zero"):
        return "both 0"
    text = fmt_ratio(r["ratio"])
    if r.get("pairs", 0) > 2:
        text += f" ({fmt_ratio(r['paired_p25'])}–{fmt_ratio(r['paired_p75'])})"
    return text


def checks_cell(row: dict) -> str:
    parts = []
    for tool, why in row["unavailable"].items():
        parts.append(f"{tool}: not run ({why})")
    for tool, failures in row["failures"].items():
        shown = "; ".join(failures[:2]) + (f" (+{len(failures) - 2} more)" if len(failures) > 2 else "")
        parts.append(f"**{tool}: FAILED** {shown}")
    if not parts and row["checked"]:
        return f"ok: {row['checked']}"
    return "; ".join(parts)


def target_cell(row: dict) -> str:
    if not row["target_label"]:
        return ""
    met = row["target_met"]
    return f"{row['target_label']} {'met' if met else 'missed' if met is not None else '(no data)'}"


def markdown_table(doc: dict) -> str:
    has_init = any(PEER_INIT in row["samples"] for row in doc["measurements"])
    head = ["Scenario", "Case", "Metric", "devenv", "Compose", "devenv / Compose", "Target"]
    if has_init:
        head += ["Compose + init", "devenv / (Compose + init)"]
    head.append("Checks")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in doc["measurements"]:
        latency = row["key"].startswith("watch/")
        stats = row["summary"]
        cells = [row["scenario"], row["case"], row["metric"], cell(stats.get("devenv"), row["unit"], latency=latency),
                 cell(stats.get(PEER), row["unit"], latency=latency), ratio_cell(row["ratios"].get(PEER)),
                 target_cell(row)]
        if has_init:
            cells += [cell(stats.get(PEER_INIT), row["unit"], latency=latency),
                      ratio_cell(row["ratios"].get(PEER_INIT))]
        cells.append(checks_cell(row))
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def machine_lines(doc: dict) -> list[str]:
    m, s = doc["machine"], doc["settings"]
    engine = m.get("engine", {})
    return [
        f"- Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('memory_gib')} GiB, {m.get('os')}, "
        f"Python {m.get('python')}",
        f"- Engine: Docker {engine.get('version')} (API {engine.get('api')})",
        f"- Tools: devenv {m.get('tools', {}).get('devenv')} (commit {m.get('devenv_commit')}"
        f"{' + uncommitted changes in devenv/' if m.get('devenv_uncommitted_changes') else ''}), "
        f"Docker Compose {m.get('tools', {}).get('compose')}"
        + (f"; devenv's bytecode {m['devenv_bytecode']}" if m.get("devenv_bytecode") else ""),
        f"- Load average (1/5/15 min) at start {m.get('load_average_start')}, at end {m.get('load_average_end')}"
        + (f"; highest 1-min load seen between rounds {m['load_average_peak']}" if m.get("load_average_peak") else ""),
        f"- Run: {s.get('started')} → {s.get('finished')} ({s.get('duration_s', 0):.0f} s); "
        f"{s.get('rounds')} rounds after {s.get('warmup')} warm-up, tools alternating; "
        f"{s.get('edits')} edits per watch action; `{s.get('command')}`",
    ]


def markdown(doc: dict, *, chart: str | None = None, curves: str | None = None) -> str:
    parts = ["# devenv vs Docker Compose\n", *[line + "\n" for line in machine_lines(doc)], "\n",
             "Times are medians with the interquartile range in brackets; ratios are the ratio of medians with "
             "the interquartile range of the per-round (paired) ratios. Below 1× devenv is faster.\n\n",
             markdown_table(doc)]
    if chart:
        parts.append(f"\n![devenv / Compose ratios]({chart})\n")
    if curves:
        parts.append(f"\n![wall time against the number of services]({curves})\n")
    if doc["notes"]:
        parts.append("\n## Notes\n\n" + "".join(f"- {n}\n" for n in doc["notes"]))
    extra = [f"- {row['key']}: {note}\n" for row in doc["measurements"] for note in row["notes"]]
    if extra:
        parts.append("".join(extra))
    return "".join(parts)


def chart(doc: dict, path: Path) -> Path | None:
    """A horizontal bar chart of devenv/Compose (and devenv/(Compose + init)) on a log scale."""
    rows = [r for r in doc["measurements"] if r["ratios"].get(PEER, {}).get("ratio") is not None]
    if not rows:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [f"{r['scenario']} · {r['case']}" + (f" · {r['metric']}" if r["metric"] != "wall time" else "")
              for r in rows]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.6))
    ys = list(range(len(rows)))[::-1]
    height = 0.38
    for y, r in zip(ys, rows, strict=True):
        value = r["ratios"][PEER]["ratio"]
        met = r["target_met"]
        color = "#999999" if met is None else "#2e8b57" if met else "#c0392b"
        ax.barh(y + height / 2, _clip(value), height, color=color)
        ax.text(_clip(value) * 1.05, y + height / 2, fmt_ratio(value), va="center", fontsize=8)
        if r["ratios"].get(PEER_INIT, {}).get("ratio") is not None:
            init_value = r["ratios"][PEER_INIT]["ratio"]
            ax.barh(y - height / 2, _clip(init_value), height, color="#7fa7d4")
            ax.text(_clip(init_value) * 1.05, y - height / 2, fmt_ratio(init_value), va="center", fontsize=7,
                    color="#335")
        if r["target"] is not None:
            ax.plot([r["target"]] * 2, [y - 0.45, y + 0.45], color="black", linewidth=1.2)
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlim(left=FLOOR * 0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel("devenv / Compose (median; log scale; < 1 = devenv faster or smaller)")
    ax.set_title("devenv / Docker Compose, one run, tools alternating\n"
                 "green: target met · red: missed · grey: no target · blue: vs Compose with init: true · "
                 "black tick: target", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


CURVES = (("cold-up", "cold up"), ("noop-up", "no-op up"), ("changed-up", "one changed up"), ("down", "down"))
TOOL_STYLE = {"devenv": ("#2e8b57", "devenv"), PEER: ("#c0392b", "Compose"), PEER_INIT: ("#7fa7d4", "Compose + init")}


def curve_points(doc: dict) -> dict[str, dict[str, list[tuple[int, float]]]]:
    """scenario → tool → [(services, median seconds)], for the scenarios measured at 2+ sizes."""
    curves: dict[str, dict[str, list[tuple[int, float]]]] = {}
    for row in doc["measurements"]:
        kind, _, size = row["key"].partition("/")
        if kind not in dict(CURVES) or not size.isdigit():
            continue
        for tool, stats in row["summary"].items():
            if stats.get("median") is not None:
                curves.setdefault(kind, {}).setdefault(tool, []).append((int(size), stats["median"]))
    return {kind: tools for kind, tools in curves.items() if any(len(points) > 1 for points in tools.values())}


def curves_chart(doc: dict, path: Path) -> Path | None:
    """Median wall time against the number of services, one panel per scenario, one line per tool."""
    curves = curve_points(doc)
    if not curves:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = [kind for kind, _ in CURVES if kind in curves]
    fig, axes = plt.subplots(1, len(kinds), figsize=(3.2 * len(kinds) + 0.6, 3.4), squeeze=False)
    for ax, kind in zip(axes[0], kinds, strict=True):
        for tool, points in curves[kind].items():
            color, label = TOOL_STYLE.get(tool, ("black", tool))
            xs, ys = zip(*sorted(points), strict=True)
            ax.plot(xs, ys, marker="o", color=color, label=label, linewidth=1.4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(dict(CURVES)[kind], fontsize=9)
        ax.set_xlabel("services", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, which="both", linewidth=0.3, alpha=0.5)
    axes[0][0].set_ylabel("median wall time (s, log)", fontsize=8)
    axes[0][0].legend(fontsize=7)
    fig.suptitle("Wall time against the number of services, one run, tools alternating", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


FLOOR = 0.01  # ratios below this (e.g. an idle CPU of 0 against one of 0.1 %) are drawn at the floor


def _clip(value: float) -> float:
    if math.isinf(value):
        return 100.0
    return max(value, FLOOR)


def write(doc: dict, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"json": folder / "results.json", "md": folder / "results.md", "png": folder / "ratios.png",
             "curves": folder / "curves.png"}
    paths["json"].write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    made = chart(doc, paths["png"])
    curved = curves_chart(doc, paths["curves"])
    paths["md"].write_text(markdown(doc, chart="ratios.png" if made else None,
                                    curves="curves.png" if curved else None))
    if not made:
        del paths["png"]
    if not curved:
        del paths["curves"]
    return paths
