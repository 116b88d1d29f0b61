# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The staff of ``bench_load.py`` for Locust: each simulated person logs in
with an account of their role and does their daily work through Odoo's
JSON-RPC, the calls the web client makes (``web_search_read`` for a list,
``web_read`` for a form, ``web_save`` for a save, ``call_button`` for a
button, ``read_group`` for a pivot).

Not a benchmark of its own (``tools/care.py bench`` runs ``bench_*.py``
only): ``bench_load.py`` runs Locust with it, the file of its data set in
``CARE_LOAD_DATA`` (logins, customers, pickups and their codes). What each
person did (callbacks recorded, complaints registered, orders confirmed or
sent for approval, pickups handed over) is written at the end to
``CARE_LOAD_RESULTS`` (one JSON file per Locust process), which
``bench_load.py`` checks against the database.

Each request is named after the screen or action (``callbacks: today's
list``), so that Locust reports its latency per screen and action. A
refusal of the business (an over-limit order) is an answer, not an error;
an error is an HTTP failure or a JSON-RPC error.
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, events, task

DATA = json.loads(open(os.environ["CARE_LOAD_DATA"], encoding="utf-8").read())
RESULTS = {
    "callbacks_done": [],
    "tickets_created": [],
    "tickets_updated": [],
    "orders_confirmed": [],
    "orders_blocked": [],
    "orders_confirmed_approved": [],
    "requests_approved": [],
    "pickups_handed_over": [],
}
# one login per simulated person, handed out in turn per role
LOGINS = {role: itertools.cycle(logins) for role, logins in DATA["logins"].items()}
# each pickup is handed over once: the desk people take them from one queue
PICKUPS = list(DATA["pickups"])
random.shuffle(PICKUPS)
RPC_IDS = itertools.count(1)


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    path = os.environ.get("CARE_LOAD_RESULTS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(RESULTS, out)


class RpcError(Exception):
    pass


class Staff(HttpUser):
    """Someone of the company, logged in with the web client's session."""

    abstract = True
    role = None
    wait_time = between(1, 4)

    def on_start(self):
        self.login = next(LOGINS[self.role])
        result = self._post(
            "/web/session/authenticate",
            {"db": DATA["database"], "login": self.login, "password": self.login},
            "login",
        )
        self.uid = result["uid"]
        self.ctx = {
            "lang": "zh_CN",
            "tz": "Asia/Shanghai",
            "uid": self.uid,
            "allowed_company_ids": [DATA["company_id"]],
        }

    # ------------------------------------------------------------
    # JSON-RPC as the web client sends it
    # ------------------------------------------------------------

    def _post(self, url, params, name):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(RPC_IDS),
            "params": params,
        }
        with self.client.post(
            url, json=payload, name=name, catch_response=True
        ) as response:
            try:
                data = response.json()
            except ValueError:
                response.failure(f"not JSON (HTTP {response.status_code})")
                raise RpcError(name) from None
            if "error" in data:
                error = data["error"].get("data", {})
                response.failure(
                    f"{error.get('name', 'error')}: {error.get('message', '')}"[:300]
                )
                raise RpcError(name)
            return data["result"]

    def call(self, label, model, method, /, *args, **kwargs):
        kwargs.setdefault("context", self.ctx)
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            label,
        )

    def button(self, name, model, method, ids, context=None):
        return self._post(
            "/web/dataset/call_button",
            {
                "model": model,
                "method": method,
                "args": [ids],
                "kwargs": {"context": {**self.ctx, **(context or {})}},
            },
            name,
        )

    def list(self, name, model, domain, spec, order="", limit=80):
        return self.call(
            name,
            model,
            "web_search_read",
            domain=domain,
            specification=spec,
            order=order,
            limit=limit,
            count_limit=10001,
        )["records"]


NAME = {"fields": {"display_name": {}}}


class Agent(Staff):
    """A callback agent: today's callbacks, one opened and recorded."""

    role = "agent"
    weight = 10

    def on_start(self):
        self.todo = []
        return super().on_start()

    @task(3)
    def todays_list(self):
        try:
            rows = self.list(
                "callbacks: today's list",
                "customer.care.callback",
                [
                    ("user_id", "=", self.uid),
                    ("state", "=", "planned"),
                    ("date", "<=", DATA["today"]),
                ],
                {
                    "partner_id": NAME,
                    "date": {},
                    "method": {},
                    "state": {},
                    "cadence_id": NAME,
                },
                order="date, id",
            )
        except RpcError:
            return
        self.todo = [row["id"] for row in rows if row["method"] not in ("letter",)]

    @task(2)
    def record_one(self):
        if not self.todo:
            return self.todays_list()
        callback_id = self.todo.pop(random.randrange(len(self.todo)))
        try:
            [callback] = self.call(
                "callback: open",
                "customer.care.callback",
                "web_read",
                [callback_id],
                specification={
                    "partner_id": NAME,
                    "contact_id": NAME,
                    "date": {},
                    "state": {},
                    "method": {},
                    "score_overall": {},
                    "score_service_attitude": {},
                    "opinion": {},
                },
            )
            if callback["state"] != "planned":
                return
            partner = callback["partner_id"]["id"]
            contacts = self.call(
                "callback: pick the person reached",
                "res.partner",
                "name_search",
                name="",
                args=[("parent_id", "=", partner)],
                limit=8,
            )
            values = {"score_overall": "4", "score_service_attitude": "5"}
            if contacts:
                values["contact_id"] = contacts[0][0]
            values["opinion"] = "客户对本月送货满意，希望提前一天通知到货时间。"
            self.call(
                "callback: save",
                "customer.care.callback",
                "web_save",
                [callback_id],
                values,
                specification={"state": {}},
            )
            self.button(
                "callback: mark done",
                "customer.care.callback",
                "action_done",
                [callback_id],
            )
        except RpcError:
            return
        RESULTS["callbacks_done"].append(callback_id)


class Officer(Staff):
    """A complaint officer: the list, a new complaint, an update."""

    role = "officer"
    weight = 6

    def on_start(self):
        self.mine = []
        return super().on_start()

    @task(3)
    def complaints_list(self):
        try:
            self.list(
                "complaints: list",
                "helpdesk.ticket",
                [("care_is_complaint", "=", True)],
                {
                    "number": {},
                    "name": {},
                    "partner_id": NAME,
                    "care_tier": {},
                    "stage_id": NAME,
                    "care_next_deadline": {},
                },
                order="create_date desc, id desc",
            )
        except RpcError:
            return

    @task(2)
    def register(self):
        partner = random.choice(DATA["customers"])
        try:
            [ticket] = self.call(
                "complaint: register",
                "helpdesk.ticket",
                "web_save",
                [],
                {
                    "name": "到货包装破损",
                    "partner_id": partner,
                    "care_is_complaint": True,
                    "team_id": DATA["complaint_team_id"],
                    "care_category": "product_quality",
                    "care_restated": "客户反映本批货物外包装破损，两箱受潮。",
                },
                specification={"number": {}, "care_tier": {}},
                context={**self.ctx, "default_care_is_complaint": True},
            )
        except RpcError:
            return
        self.mine.append(ticket["id"])
        RESULTS["tickets_created"].append(ticket["id"])

    @task(1)
    def update(self):
        if not self.mine:
            return self.register()
        ticket_id = random.choice(self.mine)
        try:
            self.call(
                "complaint: open",
                "helpdesk.ticket",
                "web_read",
                [ticket_id],
                specification={
                    "name": {},
                    "care_cause": {},
                    "care_solution": {},
                    "care_deadline_ids": {"fields": {"kind": {}, "deadline": {}}},
                },
            )
            self.call(
                "complaint: update",
                "helpdesk.ticket",
                "web_save",
                [ticket_id],
                {"care_cause": "装车时未加防潮垫", "care_solution": "补发两箱"},
                specification={"care_cause": {}},
            )
        except RpcError:
            return
        RESULTS["tickets_updated"].append(ticket_id)


class Salesperson(Staff):
    """A salesperson: an order confirmed, the credit check on; an order over
    the customer's limit goes for approval with its repayment plan."""

    role = "salesperson"
    weight = 8

    def on_start(self):
        self.blocked = []
        return super().on_start()

    @task(4)
    def confirm_order(self):
        tight = random.random() < 0.2
        own = DATA["own_tight_customers" if tight else "own_customers"]
        partner = random.choice(own[self.login])
        try:
            [order] = self.call(
                "order: save",
                "sale.order",
                "web_save",
                [],
                {
                    "partner_id": partner,
                    "order_line": [
                        [
                            0,
                            0,
                            {
                                "product_id": random.choice(DATA["product_ids"]),
                                "product_uom_qty": random.randint(1, 5),
                            },
                        ]
                    ],
                },
                specification={"name": {}, "amount_total": {}},
            )
            result = self.button(
                "order: confirm (credit check)",
                "sale.order",
                "action_confirm",
                [order["id"]],
            )
            if isinstance(result, dict) and result.get("res_model") == (
                "customer.care.credit.block"
            ):
                RESULTS["orders_blocked"].append(order["id"])
                # the repayment plan: the amount over, in two weeks
                [block] = self.call(
                    "order: over-limit dialog",
                    "customer.care.credit.block",
                    "web_read",
                    [result["res_id"]],
                    specification={"amount_over": {}, "repayment_amount": {}},
                )
                self.call(
                    "order: over-limit dialog",
                    "customer.care.credit.block",
                    "web_save",
                    [result["res_id"]],
                    {
                        "repayment_date": DATA["repayment_date"],
                        "repayment_amount": block["amount_over"],
                    },
                    specification={},
                )
                self.button(
                    "order: send over-limit request",
                    "customer.care.credit.block",
                    "action_request_approval",
                    [result["res_id"]],
                )
                self.blocked.append(order["id"])
            else:
                RESULTS["orders_confirmed"].append(order["id"])
        except RpcError:
            return

    @task(1)
    def confirm_approved(self):
        """An order sent for approval is confirmed once approved."""
        if not self.blocked:
            return
        order_id = self.blocked[0]
        try:
            rows = self.list(
                "order: its over-limit requests",
                "customer.care.credit.request",
                [("sale_order_id", "=", order_id)],
                {"state": {}},
            )
            if not any(row["state"] == "approved" for row in rows):
                return
            self.blocked.pop(0)
            result = self.button(
                "order: confirm (credit check)",
                "sale.order",
                "action_confirm",
                [order_id],
            )
        except RpcError:
            return
        if not isinstance(result, dict):
            RESULTS["orders_confirmed_approved"].append(order_id)


class Desk(Staff):
    """The pickup desk: today's pickups, one handed over with its code."""

    role = "desk"
    weight = 3

    @task(2)
    def todays_pickups(self):
        try:
            self.list(
                "pickups: today's list",
                "customer.care.pickup",
                [("state", "in", ["ready", "notified"])],
                {
                    "name": {},
                    "partner_id": NAME,
                    "state": {},
                    "planned_at": {},
                },
            )
        except RpcError:
            return

    @task(1)
    def hand_over(self):
        if not PICKUPS:
            return
        pickup = PICKUPS.pop()
        try:
            action = self.button(
                "pickup: open handover",
                "customer.care.pickup",
                "action_open_handover",
                [pickup["id"]],
            )
            [wizard] = self.call(
                "pickup: handover save",
                "customer.care.pickup.handover",
                "web_save",
                [],
                {
                    "code": pickup["code"],
                    "collector_name": "王师傅",
                    "collector_id_number": "310101199001011234",
                    "id_checked": True,
                },
                specification={"error": {}},
                context={**self.ctx, **action["context"]},
            )
            result = self.button(
                "pickup: hand over",
                "customer.care.pickup.handover",
                "action_hand_over",
                [wizard["id"]],
            )
        except RpcError:
            return
        if isinstance(result, dict) and result.get("type") == (
            "ir.actions.act_window_close"
        ):
            RESULTS["pickups_handed_over"].append(pickup["id"])


class Manager(Staff):
    """The managers: their pivots, and the over-limit requests to decide."""

    role = "manager"
    weight = 3

    @task(2)
    def callback_pivot(self):
        try:
            self.call(
                "pivot: callbacks by agent and state",
                "customer.care.callback",
                "read_group",
                [("date", ">=", DATA["month_start"])],
                ["__count"],
                ["user_id", "state"],
                lazy=False,
            )
        except RpcError:
            return

    @task(2)
    def complaint_pivot(self):
        try:
            self.call(
                "pivot: complaints by category and stage",
                "helpdesk.ticket",
                "read_group",
                [("care_is_complaint", "=", True)],
                ["__count"],
                ["care_category", "stage_id"],
                lazy=False,
            )
        except RpcError:
            return

    @task(1)
    def decide_requests(self):
        try:
            rows = self.list(
                "credit: requests to approve",
                "customer.care.credit.request",
                [("state", "=", "requested")],
                {"name": {}, "partner_id": NAME, "amount_over": {}},
                limit=10,
            )
            if rows:
                request_id = rows[0]["id"]
                self.button(
                    "credit: approve request",
                    "customer.care.credit.request",
                    "action_approve",
                    [request_id],
                )
                RESULTS["requests_approved"].append(request_id)
        except RpcError:
            return
