"""deploy/: the Kubernetes manifests validate against the schemas shipped in kubernetes-validate (offline),
and the Deployment, the compose file and the proxy describe the same service the app is."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from service.config import PROJECT_ROOT

KUBERNETES = PROJECT_ROOT / "deploy" / "kubernetes"
COMPOSE = PROJECT_ROOT / "deploy" / "compose"
MANIFESTS = sorted(p for p in KUBERNETES.glob("*.yaml") if p.name != "kustomization.yaml")
# The oldest Kubernetes minor the manifests promise to work on, and the newest the validator knows.
KUBERNETES_VERSIONS = ["1.29", kubernetes_validate.utils.latest_version()]


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _by_kind() -> dict[str, dict]:
    return {doc["kind"]: doc for doc in map(_load, MANIFESTS)}


@pytest.fixture
def no_network(monkeypatch):  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the manifest check must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_manifest_validates_against_the_kubernetes_schema(manifest, version, no_network):  # type: ignore[no-untyped-def]
    # strict: an unknown or misspelt field is an error, not silently dropped by the API server.
    kubernetes_validate.validate(_load(manifest), version, strict=True)


def test_a_misspelt_field_is_caught(no_network):  # type: ignore[no-untyped-def]
    deployment = _by_kind()["Deployment"]
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {"httpGet": {"path": "/ready", "port": "http"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[-1], strict=True)


def test_kustomization_lists_every_manifest_but_the_job():  # type: ignore[no-untyped-def]
    listed = set(_load(KUBERNETES / "kustomization.yaml")["resources"])
    assert listed == {p.name for p in MANIFESTS if _load(p)["kind"] != "Job"}


def test_selectors_and_targets_meet_the_pods():  # type: ignore[no-untyped-def]
    kinds = _by_kind()
    deployment = kinds["Deployment"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    for selector in (deployment["spec"]["selector"]["matchLabels"], kinds["Service"]["spec"]["selector"],
                     kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"]):
        assert selector.items() <= pod_labels.items()
    target = kinds["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert kinds["HorizontalPodAutoscaler"]["spec"]["minReplicas"] > kinds["PodDisruptionBudget"]["spec"]["minAvailable"]


def _api_container() -> dict:
    return _by_kind()["Deployment"]["spec"]["template"]["spec"]["containers"][0]


def test_probes_ask_the_routes_the_app_serves(app):  # type: ignore[no-untyped-def]
    container = _api_container()
    paths = set(app.openapi()["paths"])
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready" in paths
    assert container["livenessProbe"]["httpGet"]["path"] == "/health" in paths


def test_pods_run_unprivileged_on_a_read_only_root():  # type: ignore[no-untyped-def]
    for doc in (_by_kind()["Deployment"], _by_kind()["Job"]):
        pod = doc["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
        for container in pod["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["resources"]["requests"] and container["resources"]["limits"]


def _env(container: dict) -> dict[str, dict]:
    return {item["name"]: item for item in container.get("env", [])}


def test_pods_run_the_launcher_with_one_worker():  # type: ignore[no-untyped-def]
    command = _api_container()["command"]
    assert command[:3] == ["python", "-m", "service.serve"]
    assert command[command.index("--workers") + 1] == "1"  # one worker per pod: each /metrics scrape is whole


def test_shutdown_drains_within_the_grace_period():  # type: ignore[no-untyped-def]
    pod = _by_kind()["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    pre_stop = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    drain = int(_env(container)["TKI_CDS_TIMEOUT_GRACEFUL_SHUTDOWN"]["value"])
    assert pre_stop + drain < pod["terminationGracePeriodSeconds"]


def test_one_variable_selects_the_store():  # type: ignore[no-untyped-def]
    kinds = _by_kind()
    api_env = _env(_api_container())["TKI_CDS_KNOWLEDGE_DB_URL"]
    job_env = _env(kinds["Job"]["spec"]["template"]["spec"]["containers"][0])["TKI_CDS_KNOWLEDGE_DB_URL"]
    # Without the Secret the pods use the store baked into the image; the Job needs it.
    assert api_env["valueFrom"]["secretKeyRef"]["optional"] is True
    assert "optional" not in job_env["valueFrom"]["secretKeyRef"]
    assert api_env["valueFrom"]["secretKeyRef"]["name"] == job_env["valueFrom"]["secretKeyRef"]["name"]


def test_compose_has_the_same_shape():  # type: ignore[no-untyped-def]
    compose = _load(COMPOSE / "compose.yaml")
    services = compose["services"]
    assert set(services) == {"postgres", "build-knowledge", "api", "proxy"}
    api = services["api"]
    assert api["deploy"]["replicas"] >= 2
    assert api["command"] == _api_container()["command"]
    assert api["read_only"] is True and api["user"].split(":")[0] != "0"
    assert api["depends_on"]["build-knowledge"]["condition"] == "service_completed_successfully"
    assert services["build-knowledge"]["command"] == _by_kind()["Job"]["spec"]["template"]["spec"]["containers"][0]["command"]
    assert api["environment"]["TKI_CDS_KNOWLEDGE_DB_URL"].startswith("postgresql+psycopg://")
    assert api["environment"]["TKI_CDS_TIMEOUT_GRACEFUL_SHUTDOWN"] == _env(_api_container())["TKI_CDS_TIMEOUT_GRACEFUL_SHUTDOWN"]["value"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["proxy"]["volumes"]


def test_the_proxy_bounds_slow_and_idle_clients_and_bodies():  # type: ignore[no-untyped-def]
    from service.config import Settings

    conf = (COMPOSE / "nginx.conf").read_text(encoding="utf-8")
    directives: dict[str, str] = {}
    for name, value in re.findall(r"^\s*(\w+)\s+([^;{]+);", conf, flags=re.MULTILINE):
        directives.setdefault(name, value)  # the http-level value comes before the upstream's
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout",
                 "client_max_body_size", "proxy_read_timeout", "proxy_connect_timeout"):
        assert name in directives, name
    settings = Settings()
    # At the service's own limits (README "Limits"), so the proxy refuses nothing the service accepts.
    assert directives["client_max_body_size"] == f"{settings.max_body_bytes // 1024}k"
    assert directives["keepalive_timeout"] == f"{settings.timeout_keep_alive}s"
    assert "server api:8000" in conf and "proxy_pass http://api;" in conf
