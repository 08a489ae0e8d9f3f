"""API: balances, settlement plan and transactions of an association.

A member sees their own figures (their balance, the transfers they make or receive, the
transactions that concern them with their own legs); admins see everything. Amounts are
decimal strings.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ledger.selectors.balances import balances, settlement, transfers_of
from ledger.selectors.presenting import account_name, describe
from ledger.selectors.transactions import span_from_key, transactions_in
from members.api_access import AssociationAPIView


def money() -> serializers.DecimalField:
    """An amount as a decimal string, e.g. "36.90"."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)


class BalanceOutput(serializers.Serializer[Any]):
    member = serializers.CharField(source="name")
    email = serializers.CharField()
    balance = money()


class BalancesView(AssociationAPIView):
    """Balances (positive: owed to the party); they sum to 0.00 over the association."""

    @extend_schema(responses={200: BalanceOutput(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        membership = self.membership
        rows = balances(membership.association)
        if not membership.is_admin:
            rows = [row for row in rows if row.membership_id == membership.pk]
        return Response(BalanceOutput(rows, many=True).data)


class TransferOutput(serializers.Serializer[Any]):
    """{"from", "to", "amount"}: `from` is a Python keyword, hence get_fields."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            "from": serializers.CharField(source="payer.name"),
            "to": serializers.CharField(source="payee.name"),
            "amount": money(),
        }


class SettlementView(AssociationAPIView):
    """At most n − 1 transfers that bring every balance back to zero."""

    @extend_schema(responses={200: TransferOutput(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        membership = self.membership
        transfers = settlement(membership.association)
        if not membership.is_admin:
            transfers = transfers_of(transfers, membership)
        return Response(TransferOutput(transfers, many=True).data)


class PeriodInput(serializers.Serializer[Any]):
    period = serializers.CharField(required=False, allow_blank=True, max_length=20)


class LegOutput(serializers.Serializer[Any]):
    party = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    amount = money()

    def get_party(self, leg: Any) -> str:
        return account_name(leg.account)

    def get_email(self, leg: Any) -> str:
        membership = leg.account.membership
        return membership.user.email if membership is not None else ""


class TransactionOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    date = serializers.DateField()
    kind = serializers.CharField()
    description = serializers.SerializerMethodField()
    reference = serializers.CharField()
    vehicle = serializers.CharField(source="vehicle.name", default=None)
    km = serializers.IntegerField(allow_null=True)
    amount = money()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    legs = LegOutput(many=True)

    def get_description(self, txn: Any) -> str:
        return describe(txn)


class TransactionsView(AssociationAPIView):
    """Transactions of a period: ?period=2026-11 (a month) or 2026-Q4 (a quarter); the
    association's current period when omitted; 400 with code "bad_period" otherwise."""

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="YYYY-MM or YYYY-Qn")],
        responses={200: TransactionOutput(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        membership = self.membership
        query = PeriodInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        span = span_from_key(membership.association, query.validated_data.get("period"))
        txns = transactions_in(
            membership.association,
            span.starts_on,
            span.ends_on,
            membership=None if membership.is_admin else membership,
        )
        return Response(TransactionOutput(txns, many=True).data)
