"""The production path, checked offline: the Dockerfile passes hadolint, every Kubernetes overlay renders with
kubectl's kustomize and validates against the Kubernetes schemas, and the manifests agree with the code (settings,
job timeouts, partitions, versions)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from pydantic import SecretStr

from config.settings import Settings
from data.messaging.broker import Topics
from tests.test_packaging import packages

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "k8s"
OVERLAYS = ("dev", "prod")
# Kinds of the operators used by the prod overlay; their schemas are not in kubernetes-validate, so these objects
# are checked below for what Wattboard relies on, and any other kind without a schema fails the test.
OPERATOR_KINDS = {
    "ClickHouseInstallation",
    "ClickHouseKeeperInstallation",
    "Kafka",
    "KafkaNodePool",
    "KafkaTopic",
    "PodMonitor",
}
KUBERNETES_VERSION = "1.33"
RESTRICTED = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}}


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@cache
def rendered(overlay: str) -> tuple[dict[str, Any], ...]:
    kubectl = shutil.which("kubectl") or str(Path(sys.executable).parent / "kubectl")
    out = subprocess.run(
        [kubectl, "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, check=True
    ).stdout
    return tuple(doc for doc in yaml.safe_load_all(out) if doc)


def of_kind(overlay: str, kind: str) -> list[dict[str, Any]]:
    return [doc for doc in rendered(overlay) if doc["kind"] == kind]


def named(overlay: str, kind: str, name: str) -> dict[str, Any]:
    return next(doc for doc in of_kind(overlay, kind) if doc["metadata"]["name"] == name)


def config(overlay: str) -> dict[str, str]:
    return named(overlay, "ConfigMap", "wattboard")["data"]


def secret_keys() -> set[str]:
    return set(yaml.safe_load((K8S / "secret.example.yaml").read_text())["stringData"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_overlay_renders_and_validates_against_the_kubernetes_schemas(overlay: str) -> None:
    checked = 0
    for doc in rendered(overlay):
        if doc["kind"] in OPERATOR_KINDS:
            continue
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)  # raises on any error or unknown field
        checked += 1
    kubernetes_validate.validate(yaml.safe_load((K8S / "secret.example.yaml").read_text()), KUBERNETES_VERSION, True)
    kinds = {doc["kind"] for doc in rendered(overlay)}
    assert {
        "Deployment",
        "Service",
        "Ingress",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "ServiceAccount",
        "ConfigMap",
    } <= kinds
    assert checked >= 18


def test_a_broken_manifest_is_caught_by_the_validation() -> None:
    deployment = named("dev", "Deployment", "wattboard-web")
    broken = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_role_is_probed_limited_and_locked_down(overlay: str) -> None:
    deployments = {d["metadata"]["name"]: d for d in of_kind(overlay, "Deployment")}
    assert set(deployments) == {
        "wattboard-web",
        "wattboard-consume",
        "wattboard-worker",
        "wattboard-ingest",
        "wattboard-alerting",
        "wattboard-scheduler",
    }
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False and pod["serviceAccountName"] == "wattboard", name
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["initContainers"][0]["args"] == ["migrate"], name  # nothing starts before the schema is current
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/port"] == "9108", name
        for container in pod["containers"] + pod["initContainers"]:
            where = f"{name}/{container['name']}"
            assert container["securityContext"] == RESTRICTED, where
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), where
            if container in pod["containers"]:
                assert "livenessProbe" in container, where
            if container["image"].startswith("registry.wattboard.ru/"):
                assert container["image"] == f"registry.wattboard.ru/wattboard/wattboard:{version()}", where
            else:
                assert not container["image"].endswith(":latest") and ":" in container["image"], where
    web = deployments["wattboard-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["readinessProbe"]["httpGet"]["path"] == "/ready" and web["livenessProbe"]["httpGet"]["path"] == "/health"


def queues_of(container: dict[str, Any]) -> tuple[str, ...]:
    from data.queue import QUEUE_NAMES

    args = container["args"]
    return tuple(args[args.index("--queues") + 1].split(",")) if "--queues" in args else QUEUE_NAMES


def longest_job_s(queue: str) -> int:
    """The longest timeout of a job enqueued on a queue, from the constants the code enqueues with."""
    from forecasting.runs import JOB_TIMEOUT_S
    from workers.jobs import BACKFILL_TIMEOUT_S, POLL_TIMEOUT_S

    rq_default = 180  # RQ's default job timeout, which the small jobs keep
    return {"forecast": JOB_TIMEOUT_S, "ingest": max(BACKFILL_TIMEOUT_S, POLL_TIMEOUT_S)}.get(queue, rq_default)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_stopping_worker_is_given_the_time_of_its_longest_job(overlay: str) -> None:
    for deployment in of_kind(overlay, "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        for container in pod["containers"]:
            if container["args"][0] == "worker":
                need = max(longest_job_s(q) for q in queues_of(container))
                assert pod["terminationGracePeriodSeconds"] >= need, deployment["metadata"]["name"]
    consume = named(overlay, "Deployment", "wattboard-consume")["spec"]["template"]["spec"]
    assert consume["terminationGracePeriodSeconds"] >= 30  # a batch is written and committed before it leaves
    served = {
        q
        for d in of_kind(overlay, "Deployment")
        for c in d["spec"]["template"]["spec"]["containers"]
        if c["args"][0] == "worker"
        for q in queues_of(c)
    }
    from data.queue import QUEUE_NAMES

    assert served == set(QUEUE_NAMES)  # every queue has a worker


def setting_fields() -> dict[str, Any]:
    return {f"WATTBOARD_{name.upper()}": field for name, field in Settings.model_fields.items()}


def production_required() -> set[str]:
    import inspect

    source = inspect.getsource(Settings._production_needs_services)  # type: ignore[arg-type]  # pydantic's proxy of it
    names = re.findall(r'"([a-z_]+)"', source.split("for name in", 1)[1].split("if getattr", 1)[0])
    return {f"WATTBOARD_{n.upper()}" for n in names}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_manifests_carry_every_setting_production_needs_and_secrets_only_in_the_secret(overlay: str) -> None:
    fields = setting_fields()
    configured, secrets = set(config(overlay)), secret_keys()
    assert len(production_required()) >= 12
    assert production_required() <= configured | secrets, production_required() - configured - secrets
    assert configured <= set(fields), configured - set(fields)  # no key that Settings would silently ignore
    assert secrets <= set(fields), secrets - set(fields)
    secret_typed = {key for key, field in fields.items() if SecretStr in getattr(field.annotation, "__args__", ())}
    assert secret_typed <= secrets and not secret_typed & configured
    # What the pods get loads as production settings once the secret values are filled in.
    env = {**config(overlay), **{key: "x" * 40 for key in secrets}}
    env.update(
        WATTBOARD_DATABASE_URL="postgresql+psycopg://u@db/w",
        WATTBOARD_CLICKHOUSE_URL="http://u:p@ch:8123/w",
        WATTBOARD_REDIS_URL="redis://redis:6379/0",
        WATTBOARD_TELEGRAM_BOT_TOKEN="123456:" + "x" * 35,
    )
    values: dict[str, Any] = {key.removeprefix("WATTBOARD_").lower(): value for key, value in env.items()}
    settings = Settings(**values)
    assert settings.mode == "production"
    for deployment in of_kind(overlay, "Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            if container["image"].startswith("registry.wattboard.ru/"):
                sources = {next(iter(ref.values()))["name"] for ref in container["envFrom"]}
                assert sources == {"wattboard"} and len(container["envFrom"]) == 2


def test_alertmanager_reads_the_configuration_the_alerting_worker_writes() -> None:
    from alerts.am_config import CONFIG_FILE

    pod = named("prod", "Deployment", "wattboard-alerting")["spec"]["template"]["spec"]
    worker = next(c for c in pod["containers"] if c["name"] == "worker")
    am = next(c for c in pod["containers"] if c["name"] == "alertmanager")
    directory = next(e["value"] for e in worker["env"] if e["name"] == "WATTBOARD_ALERTMANAGER_CONFIG_DIR")
    assert f"--config.file={directory}/{CONFIG_FILE}" in am["args"]
    assert queues_of(worker) == ("alerts", "delivery")
    init = next(c for c in pod["initContainers"] if c["name"] == "alertmanager-config")
    assert init["args"] == ["alertmanager", "config", "--no-reload"]
    service = named("prod", "Service", "wattboard-alertmanager")
    assert config("prod")["WATTBOARD_ALERTMANAGER_URL"] == f"http://{service['metadata']['name']}:9093"
    rules = named("prod", "ConfigMap", "wattboard-prometheus-rules")["data"]["rules.yml"]
    assert rules == (K8S / "base" / "monitoring" / "rules.yml").read_text()


def test_prod_scales_consumers_up_to_the_partitions_on_a_clickhouse_cluster() -> None:
    settings = config("prod")
    partitions = int(settings["WATTBOARD_KAFKA_PARTITIONS"])
    assert named("prod", "HorizontalPodAutoscaler", "wattboard-consume")["spec"]["maxReplicas"] == partitions
    topics = {t["spec"]["topicName"]: t["spec"] for t in of_kind("prod", "KafkaTopic")}
    names = Topics(settings["WATTBOARD_TOPIC_PREFIX"])
    assert set(topics) == set(names.all())
    assert topics[names.readings]["partitions"] == partitions
    kafka = named("prod", "Kafka", "wattboard")
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    bootstrap = settings["WATTBOARD_KAFKA_BOOTSTRAP"]
    assert bootstrap == f"{kafka['metadata']['name']}-kafka-bootstrap:9092"  # Strimzi's bootstrap service
    chi = named("prod", "ClickHouseInstallation", "wattboard")
    clusters = [c["name"] for c in chi["spec"]["configuration"]["clusters"]]
    assert clusters == [settings["WATTBOARD_CLICKHOUSE_CLUSTER"]]
    keeper = named("prod", "ClickHouseKeeperInstallation", "wattboard")
    assert chi["spec"]["configuration"]["zookeeper"]["nodes"][0]["host"] == f"keeper-{keeper['metadata']['name']}"
    for doc in rendered("prod"):
        if doc["kind"] in OPERATOR_KINDS:
            assert doc["metadata"]["namespace"] == "wattboard" and doc["spec"], doc["kind"]
    dev = config("dev")
    assert named("dev", "HorizontalPodAutoscaler", "wattboard-consume")["spec"]["maxReplicas"] <= int(
        dev["WATTBOARD_KAFKA_PARTITIONS"]
    )


def test_the_image_is_hadolint_clean_and_carries_the_project_version() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    dockerfile = (ROOT / "Dockerfile").read_text()
    allowed = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if not line.startswith("#")]
    assert allowed[0] == "*"  # an allow-list: a local .venv, var/ or secrets never reach the build context
    assert f"ARG VERSION={version()}\n" in dockerfile
    for name in packages():
        assert f"COPY {name} {name}\n" in dockerfile, name  # the image builds every package the wheel holds
        assert f"!{name}/" in allowed, name  # and the build context carries it
