"""devenv.toml → Kubernetes objects: a Deployment per service, a Service per service that
listens on ports, a PersistentVolumeClaim per named volume.

Kubernetes cannot be run on a developer's machine here, so this is an export to check and
apply elsewhere (`kubectl apply -f`), not a deploy. Mapping, in short: `scale` → replicas,
`entrypoint`/`command` → command/args, `env` and env files → env, named volumes → claims,
`healthcheck` → readinessProbe, numeric `user` → securityContext, `stop_timeout` →
terminationGracePeriodSeconds. Other pods reach a service by its name on its container ports,
as containers do on devenv's network.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from devenv.core.spec import resolve_user, service_env
from devenv.errors import UsageError

if TYPE_CHECKING:
    from devenv.lock.file import Lock
    from devenv.manifest.load import Project
    from devenv.manifest.model import Healthcheck, Port, Service

PART_OF, NAME, MANAGED_BY = "app.kubernetes.io/part-of", "app.kubernetes.io/name", "app.kubernetes.io/managed-by"
_NUMERIC_USER = re.compile(r"^(\d+)(?::(\d+))?$")
QUANTITY = re.compile(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")


def dns_name(name: str) -> str:
    """A devenv name → a DNS-1123 label (what Kubernetes names objects and Services by)."""
    label = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:63].rstrip("-")
    return label or "x"


def probe(test: list[str], hc: Healthcheck) -> dict[str, Any] | None:
    if not test or test[0] == "NONE":
        return None
    command = ["/bin/sh", "-c", test[1]] if test[0] == "CMD-SHELL" else test[1:] if test[0] == "CMD" else test
    return {"exec": {"command": command}, "periodSeconds": max(1, round(hc.interval)),
            "timeoutSeconds": max(1, round(hc.timeout)), "failureThreshold": hc.retries,
            "initialDelaySeconds": round(hc.start_period)}


def _unique(names: dict[str, str], what: str) -> None:
    seen: dict[str, str] = {}
    for original, k8s in names.items():
        if k8s in seen:
            raise UsageError(f"{what} {seen[k8s]!r} and {original!r} both become {k8s!r} in Kubernetes",
                             hint="rename one of them (Kubernetes names are lowercase letters, digits and -)")
        seen[k8s] = original


def export_kubernetes(project: Project, *, volume_size: str = "1Gi",
                      lock: Lock | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """(the objects, warnings) for the enabled services. Build-only services are an error: a
    cluster pulls images, so each needs an `image` that the build is pushed to."""
    from devenv.core.buildhash import pinned_ref
    from devenv.export.swarm import build_only

    if not QUANTITY.match(volume_size):
        raise UsageError(f"--volume-size {volume_size!r} is not a Kubernetes quantity (e.g. 512Mi, 1Gi, 20G)")
    services = project.enabled_services()
    missing = build_only(services)
    if missing:
        raise UsageError(f"service{'s' if len(missing) > 1 else ''} {', '.join(missing)} only "
                         f"build{'' if len(missing) > 1 else 's'} an image: Kubernetes needs an `image` to pull",
                         hint=f'add e.g. image = "registry.example.com/team/{missing[0]}:dev" beside `build`, '
                              f'and push it')
    names = {name: dns_name(name) for name in services}
    _unique(names, "services")
    volumes = {m.source: dns_name(f"{project.name}-{m.source}") for svc in services.values()
               for m in svc.parsed_mounts() if m.kind == "volume"}
    _unique(volumes, "volumes")
    part_of = dns_name(project.name)
    warnings: list[str] = []
    claims = [{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
               "metadata": {"name": claim, "labels": {PART_OF: part_of, MANAGED_BY: "devenv"}},
               "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": volume_size}}}}
              for claim in volumes.values()]
    objects: list[dict[str, Any]] = list(claims)
    depended_on = {dep for svc in services.values() for dep in svc.depends_on}
    for name, svc in services.items():
        k8s = names[name]
        selector = {PART_OF: part_of, NAME: k8s}
        labels = {**selector, MANAGED_BY: "devenv"}
        container, pod_volumes, notes = _container(project, svc, k8s, volumes,
                                                   image=pinned_ref(project, name, svc, lock))
        warnings.extend(f"service {name}: {note}" for note in notes)
        pod: dict[str, Any] = {"containers": [container], "terminationGracePeriodSeconds": round(svc.stop_timeout)}
        if pod_volumes:
            pod["volumes"] = pod_volumes
        deployment: dict[str, Any] = {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": k8s, "labels": labels},
            "spec": {"replicas": svc.scale, "selector": {"matchLabels": selector},
                     "template": {"metadata": {"labels": labels}, "spec": pod}}}
        if pod_volumes:  # a ReadWriteOnce claim cannot be held by the old and the new pod at once
            deployment["spec"]["strategy"] = {"type": "Recreate"}
        objects.append(deployment)
        ports = svc.parsed_ports()
        if ports:
            objects.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": k8s, "labels": labels},
                            "spec": {"selector": selector, "ports": [
                                {"name": f"{p.protocol}-{p.container_port}", "port": p.container_port,
                                 "targetPort": p.container_port, "protocol": p.protocol.upper()}
                                for p in _distinct(ports)]}})
        elif name in depended_on:
            warnings.append(f"service {name}: no Service written (it declares no ports), so other pods cannot reach "
                            f"it by name; list the port it listens on in `ports`")
    return objects, warnings


def _distinct(ports: list[Port]) -> list[Port]:
    seen: set[tuple[int, str]] = set()
    out: list[Port] = []
    for p in ports:
        if (p.container_port, p.protocol) not in seen:
            seen.add((p.container_port, p.protocol))
            out.append(p)
    return out


def _container(project: Project, svc: Service, k8s: str, volumes: dict[str, str], *,
               image: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    notes: list[str] = []
    if image.startswith("sha256:"):  # a local-only pin cannot be pulled by a cluster
        image = svc.image or image  # (build-only services were refused: svc.image is set)
    container: dict[str, Any] = {"name": k8s, "image": image}
    if svc.entrypoint is not None:
        container["command"] = list(svc.entrypoint)
    if svc.command is not None:
        container["args"] = list(svc.command)
    if svc.workdir:
        container["workingDir"] = svc.workdir
    env = service_env(project, svc)
    if env:
        container["env"] = [{"name": k, "value": v} for k, v in env.items()]
    if svc.env_file:
        notes.append(f"values of {', '.join(svc.env_file)} are written into the export (mind secrets)")
    ports = [{"containerPort": p.container_port, "protocol": p.protocol.upper()}
             for p in _distinct(svc.parsed_ports())]
    if ports:
        container["ports"] = ports
    mounts: list[dict[str, Any]] = []
    pod_volumes: list[dict[str, Any]] = []
    for m in svc.parsed_mounts():
        if m.kind == "bind":
            notes.append(f"bind mount {m.source}:{m.target} left out (a cluster has no host folders; bake the "
                         f"files into the image)")
            continue
        mount: dict[str, Any] = {"name": volumes[m.source], "mountPath": m.target}
        if m.read_only:
            mount["readOnly"] = True
        mounts.append(mount)
        if all(v["name"] != volumes[m.source] for v in pod_volumes):
            pod_volumes.append({"name": volumes[m.source],
                                "persistentVolumeClaim": {"claimName": volumes[m.source]}})
    if mounts:
        container["volumeMounts"] = mounts
    if svc.healthcheck is not None:
        readiness = probe(list(svc.healthcheck.test), svc.healthcheck)
        if readiness:
            container["readinessProbe"] = readiness
    user = resolve_user(svc.user)
    if user:
        match = _NUMERIC_USER.match(user)
        if match:
            context: dict[str, int] = {"runAsUser": int(match[1])}
            if match[2]:
                context["runAsGroup"] = int(match[2])
            container["securityContext"] = context
        else:
            notes.append(f"user {user!r} left out (Kubernetes runs as a numeric uid; use e.g. \"1000:1000\")")
    if svc.stop_signal:  # a pod's containers always get SIGTERM (a STOPSIGNAL in the image aside)
        notes.append(f"stop_signal {svc.stop_signal} left out (Kubernetes stops with SIGTERM; set STOPSIGNAL "
                     "in the image)")
    left_out = [what for what, present in (("watch rules", svc.watch), ("provision steps", svc.provision)) if present]
    if left_out:
        notes.append(f"{' and '.join(left_out)} left out (they need a developer's folder)")
    return container, pod_volumes, notes
