"""Drives Drover with the official Kubernetes Python client: CRUD on its kinds, a server-side apply by a second field
manager, a label-selected list, and a watch
that streams events and resumes from the last resourceVersion it saw. Prints one JSON object with what it saw.

The watches are short: leaving a watch loop early drains the response until the server ends it (urllib3 releases
the connection that way), against kube-apiserver as against Drover."""
import json
import sys
import threading
import time

from kubernetes import client, config, watch
from kubernetes.dynamic import DynamicClient

GROUP, VERSION = "platform.drover.dev", "v1alpha1"


def main(kubeconfig, team):
    config.load_kube_config(config_file=kubeconfig)
    api = client.CustomObjectsApi()
    seen = {}
    api.create_cluster_custom_object(GROUP, VERSION, "teams", {
        "apiVersion": f"{GROUP}/{VERSION}", "kind": "Team", "metadata": {"name": team},
        "spec": {"costCenter": "cc-9000", "environments": [{"name": "development"}]}})
    created = api.create_namespaced_custom_object(GROUP, VERSION, team, "clusters", {
        "apiVersion": f"{GROUP}/{VERSION}", "kind": "Cluster", "metadata": {"name": "py-web", "labels": {"app": "web"}},
        "spec": {"flavor": "docker-local", "environment": "development",
                 "nodePools": [{"name": "general", "instanceType": "container", "minSize": 1, "maxSize": 2}]}})
    seen["createdVersion"] = created["spec"]["kubernetesVersion"]
    clusters = DynamicClient(client.ApiClient()).resources.get(api_version=f"{GROUP}/{VERSION}", kind="Cluster")
    # The client's REST layer sends a dict only as JSON content types; an apply configuration goes as text (JSON is YAML).
    applied = clusters.server_side_apply(body=json.dumps({
        "apiVersion": f"{GROUP}/{VERSION}", "kind": "Cluster", "metadata": {"name": "py-web", "namespace": team},
        "spec": {"nodePools": [{"name": "batch", "instanceType": "container", "minSize": 0, "maxSize": 1}]}}),
        name="py-web", namespace=team, field_manager="python-tests")
    seen["appliedPools"] = [pool["name"] for pool in applied.spec.nodePools]
    seen["managers"] = sorted(entry["manager"] + "/" + entry["operation"] for entry in applied.metadata.managedFields)
    got = api.get_namespaced_custom_object(GROUP, VERSION, team, "clusters", "py-web")
    seen["gotFinalizers"] = got["metadata"].get("finalizers", [])
    listed = api.list_namespaced_custom_object(GROUP, VERSION, team, "clusters", label_selector="app=web")
    seen["listed"] = [item["metadata"]["name"] for item in listed["items"]]
    since = listed["metadata"]["resourceVersion"]

    def patch_later():
        time.sleep(0.5)
        api.patch_namespaced_custom_object(GROUP, VERSION, team, "clusters", "py-web", {"metadata": {"labels": {"tier": "gold"}}})

    threading.Thread(target=patch_later).start()
    events, last = [], since
    for event in watch.Watch().stream(api.list_namespaced_custom_object, GROUP, VERSION, team, "clusters",
                                      resource_version=since, timeout_seconds=3):
        last = event["object"]["metadata"]["resourceVersion"]
        events.append(event["type"] + " " + event["object"]["metadata"].get("labels", {}).get("tier", "-"))
        if event["object"]["metadata"].get("labels", {}).get("tier") == "gold":
            break
    seen["watched"] = events

    api.delete_namespaced_custom_object(GROUP, VERSION, team, "clusters", "py-web")
    resumed = []
    for event in watch.Watch().stream(api.list_namespaced_custom_object, GROUP, VERSION, team, "clusters",
                                      resource_version=last, timeout_seconds=6):
        resumed.append(event["type"])
        if event["type"] == "DELETED":
            break
    seen["resumed"] = resumed
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
