"""Mixed load on the registry: 80 % public reads, 15 % signed-in reads, 5 % workflow writes.

    locust -f bench/load/locustfile.py --headless -u 200 -r 40 -t 2m --host http://127.0.0.1:5000

Environment: BENCH_TOKENS (comma-separated ``officer|approver:token`` pairs for the workflow
API), BENCH_PASSWORD (the demo users' password). ``bench/run_load.py`` prepares and runs all.
A 409 on a workflow action is a correct answer to a race (another user got there first), not
an error; any other status outside 2xx/3xx is.

The users are ``FastHttpUser`` (geventhttpclient): the load generator shares the server's
two cores, and the requests-based client would spend several times the CPU per request.
"""
from __future__ import annotations

import os
import random
import re

from locust import FastHttpUser, between, task

SEARCHES = ("食品", "药品", "燃气", "卫生", "建设", "许可", "道路", "娱乐")
SIGNED_IN = ("fazhi", "fazhi2", "lingdao", "zhuren", "weisheng", "jianshe")
WAIT = between(1, 3)


def _tokens(kind: str) -> list[str]:
    pairs = [p.split(":", 1) for p in os.environ.get("BENCH_TOKENS", "").split(",") if ":" in p]
    return [t for k, t in pairs if k == kind]


class PublicReader(FastHttpUser):
    """The public: home, lists, search, item pages, the JSON API."""

    weight = 80
    wait_time = WAIT
    codes: list[str] = []

    def on_start(self):
        if not PublicReader.codes:
            body = self.client.get("/api/v1/items?per_page=100", name="/api/v1/items").json()
            PublicReader.codes = [i["code"] for i in body["items"]]

    @task(3)
    def home(self):
        self.client.get("/", name="/")

    @task(3)
    def retained_list(self):
        self.client.get(f"/items?page={random.randint(1, 4)}", name="/items?page")

    @task(2)
    def search(self):
        self.client.get(f"/items?q={random.choice(SEARCHES)}", name="/items?q")

    @task(3)
    def item_page(self):
        if self.codes:
            self.client.get(f"/items/{random.choice(self.codes)}", name="/items/<code>")

    @task(1)
    def api_list(self):
        self.client.get(f"/api/v1/items?q={random.choice(SEARCHES)}", name="/api/v1/items?q")


class SignedInReader(FastHttpUser):
    """Officers, approvers and department staff reading their workspaces."""

    weight = 15
    wait_time = WAIT

    def on_start(self):
        username = random.choice(SIGNED_IN)
        form = self.client.get("/auth/login", name="/auth/login (form)").text
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', form)
        self.client.post("/auth/login", name="/auth/login", data={
            "username": username, "password": os.environ["BENCH_PASSWORD"], "csrf_token": found.group(1) if found else ""})

    @task(3)
    def items(self):
        self.client.get("/workspace/items/", name="/workspace/items/")

    @task(2)
    def inbox(self):
        self.client.get("/inbox/", name="/inbox/")

    @task(1)
    def public_home_signed_in(self):
        self.client.get("/", name="/ (signed in)")


class WorkflowWriter(FastHttpUser):
    """Other systems deciding through the workflow API: claim, propose, approve (races included)."""

    weight = 5
    wait_time = WAIT

    def on_start(self):
        self.officer = random.choice(_tokens("officer"))
        self.approver = random.choice(_tokens("approver"))

    def _act(self, token, state, action, **body):
        listing = self.client.get(f"/api/v1/reviews?state={state}&per_page=50", name="/api/v1/reviews?state",
                                  headers={"Authorization": f"Bearer {token}"})
        reviews = listing.json().get("reviews", []) if listing.ok else []
        if not reviews:
            return
        review = random.choice(reviews)
        with self.client.post(f"/api/v1/reviews/{review['id']}/actions", json={"action": action, **body},
                              headers={"Authorization": f"Bearer {token}"}, name=f"/api/v1/reviews/<id>/actions {action}",
                              catch_response=True) as response:
            if response.status_code == 409:
                response.success()  # a race lost to another user: the correct answer

    @task(2)
    def claim(self):
        self._act(self.officer, "submitted", "claim")

    @task(2)
    def propose(self):
        self._act(self.officer, "under_review", "propose", decision="keep", reason="设定依据为法律，予以保留")

    @task(1)
    def approve(self):
        self._act(self.approver, "proposed", "approve")
