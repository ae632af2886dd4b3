"""Spring Boot specifics: which module of a multi-module build is the app (the one with the
`@SpringBootApplication` class; an aggregator pom and library modules are not), and the config
files Spring reads (`src/main/resources/` and its `config/` folder). Pure reads.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from devenv.init.processes import read

_SOURCES = (".java", ".kt", ".groovy")


def main_class(folder: Path, limit: int = 2000) -> Path | None:
    """The source file under src/main declaring @SpringBootApplication, if any."""
    seen = 0
    for current, dirs, files in os.walk(folder / "src" / "main"):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(_SOURCES):
                seen += 1
                path = Path(current) / name
                if "@SpringBootApplication" in read(path):
                    return path
                if seen >= limit:
                    return None
    return None


def not_an_app(folder: Path, rel: str) -> str | None:
    """Why a folder of a multi-module build is no Spring app: an aggregator, or a library module."""
    pom = read(folder / "pom.xml") if (folder / "pom.xml").is_file() else ""
    aggregator = bool(re.search(r"<modules>\s*<module>", pom))
    if (aggregator or rel != ".") and main_class(folder) is None:
        return "a build aggregator (its modules are the apps)" if aggregator else \
            "a library module (no @SpringBootApplication class)"
    return None


def config_files(folder: Path) -> list[Path]:
    """application*.properties/yml in src/main/resources and its config/ folder, default first."""
    found: list[Path] = []
    for base in (folder / "src/main/resources", folder / "src/main/resources/config"):
        if base.is_dir():
            files = [p for p in base.glob("application*.*") if p.suffix in (".properties", ".yml", ".yaml")]
            found += sorted(files, key=lambda p: (p.stem != "application", p.name))
    return found
