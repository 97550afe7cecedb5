"""Prints the POM files (relative to a Maven repository) that resolving a module's POM needs:
the module's parent chain and every BOM imported in dependencyManagement, recursively.

Used by packages-check.sh to build a Maven repository holding the io/lakeshare artifacts plus
only these POMs, so that Ivy's `--packages` resolution is proven to need nothing else.
Usage: python pom_closure.py <repository> <groupId> <artifactId> <version>
"""

import os
import re
import sys
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional, Set, Tuple

NS = {"m": "http://maven.apache.org/POM/4.0.0"}
Gav = Tuple[str, str, str]


def pom_path(gav: Gav) -> str:
    g, a, v = gav
    return os.path.join(*g.split("."), a, v, f"{a}-{v}.pom")


def text(el: Optional[ET.Element], tag: str) -> Optional[str]:
    if el is None:
        return None
    child = el.find(f"m:{tag}", NS)
    return child.text.strip() if child is not None and child.text else None


def substitute(value: str, props: Dict[str, str]) -> str:
    for _ in range(10):
        new = re.sub(r"\$\{([^}]+)\}", lambda m: props.get(m.group(1), m.group(0)), value)
        if new == value:
            break
        value = new
    return value


def properties(repo: str, gav: Gav, seen: Set[str], out: List[str]) -> Dict[str, str]:
    """Loads a POM (recording it), returning its properties merged over its parent's."""
    rel = pom_path(gav)
    root = ET.parse(os.path.join(repo, rel)).getroot()
    if rel not in seen:
        seen.add(rel)
        out.append(rel)
    props: Dict[str, str] = {}
    parent = root.find("m:parent", NS)
    if parent is not None:
        pgav = (text(parent, "groupId"), text(parent, "artifactId"), text(parent, "version"))
        props.update(properties(repo, pgav, seen, out))  # type: ignore[arg-type]
    version = text(root, "version") or gav[2]
    group = text(root, "groupId") or gav[0]
    props.update({"project.version": version, "project.groupId": group, "version": version})
    props_el = root.find("m:properties", NS)
    if props_el is not None:
        for p in props_el:
            props[p.tag.split("}")[1]] = (p.text or "").strip()
    for dep in root.findall("m:dependencyManagement/m:dependencies/m:dependency", NS):
        if text(dep, "scope") == "import":
            bom = tuple(substitute(text(dep, k) or "", props) for k in ("groupId", "artifactId", "version"))
            if pom_path(bom) not in seen:  # type: ignore[arg-type]
                properties(repo, bom, seen, out)  # type: ignore[arg-type]
    return props


def main() -> None:
    repo, g, a, v = sys.argv[1:5]
    out: List[str] = []
    properties(repo, (g, a, v), set(), out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
