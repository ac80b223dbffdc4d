"""What happens at app start: SDKs initialised before any consent step, permissions requested at launch."""

from collections import defaultdict

from candor.model import Evidence, Finding
from candor.model.static import LaunchFacts, PermissionRequest, SdkInit
from reports.reconcile.common import capped, flow_evidence, listing, make_finding, traffic_confidence
from reports.reconcile.context import Context
from reports.rules import permission_policy

WHERE = {
    "application": "Application.onCreate",
    "launcher_activity": "the launcher activity's onCreate",
    "provider": "its own ContentProvider at process start",
}


def _launch(ctx: Context) -> LaunchFacts | None:
    return ctx.bundle.scan.launch if ctx.bundle.scan else None


def _consent_ui_evidence(launch: LaunchFacts) -> Evidence:
    if launch.consent_ui:
        return Evidence(kind="code", summary="Privacy-consent UI found: " + listing(launch.consent_ui_evidence, 3))
    return Evidence(kind="code", summary="No privacy-consent UI (隐私政策/同意/不同意) found in the APK's layouts or code.")


def _init_evidence(init: SdkInit) -> Evidence:
    if init.at_launch == "provider":
        summary = (f"The manifest declares {init.caller_class}, the SDK's own ContentProvider: Android creates it when the app "
                   "process starts, before Application.onCreate, and it starts the SDK")  # fmt: skip
    else:
        summary = f"{init.caller_class}.{init.caller_method} calls {init.api} (reached from {WHERE.get(init.at_launch or '', 'app code')})"
    return Evidence(kind="code", summary=summary, call_site=init.model_dump(mode="json"))


def _call_kind(call: SdkInit) -> str:
    """init, pre_init (allowed before consent) or consent (passes the user's choice); older scans say only consent_api."""
    kind = getattr(call, "kind", "init")
    return "consent" if kind == "init" and call.consent_api else kind


def _is_gate(call: SdkInit) -> bool:
    """A consent call that can hold the SDK back: one that does not pass a literal true."""
    return _call_kind(call) == "consent" and getattr(call, "grant", None) is not True


def sdk_init_before_consent(ctx: Context) -> list[Finding]:
    """An SDK initialised from app start with no consent step before it: from code alone when the APK has no consent
    dialog and no consent call gating that SDK; from traffic when the SDK sends identifiers before consent.

    Pre-init calls (allowed before consent) never count; a consent call passing a literal true is no gate.

    Traffic upgrades the static finding, and decides it when the APK has a consent dialog or gate whose order
    against the init cannot be known statically.
    """
    launch = _launch(ctx)
    if launch is None:
        return []
    inits: dict[str, list[SdkInit]] = defaultdict(list)
    for init in launch.sdk_inits:
        inits[ctx.product_of(init.sdk_id, init.sdk_id)[0]].append(init)
    sent_before = {key: [o for o in flows if o.before_consent] for key, flows in ctx.sdk_observations().items()}
    findings = []
    for key, calls in sorted(inits.items()):
        at_launch = [c for c in calls if c.at_launch and _call_kind(c) == "init"]
        flows = sorted(sent_before.get(key, []), key=lambda o: o.timestamp)
        ungated = [c for c in at_launch if not getattr(c, "gated_by", None)]
        static = launch.consent_ui is False and ungated and not any(_is_gate(c) for c in calls)
        if not (static or (flows and at_launch)):
            continue  # code alone must show there is no consent step; otherwise only the traffic can decide
        at_launch = ungated if static else at_launch
        _, product_id, label = ctx.product_of(calls[0].sdk_id, calls[0].sdk_id)
        where = listing(WHERE[c.at_launch] for c in at_launch if c.at_launch)
        evidence = [_init_evidence(c) for c in at_launch] + [_consent_ui_evidence(launch)]
        evidence += capped([flow_evidence(o, ctx.config.show_values) for o in flows], ctx.config.max_evidence)
        sent = sorted({o.identifier for o in flows})
        message = f"{label} is initialised from {where}" + ("; the APK shows no consent step before it." if static else ".")
        if sent:
            message += f" The traffic shows it sending {', '.join(sent)} before consent."
        findings.append(
            make_finding(
                "sdk_init_before_consent",
                package=ctx.package,
                evidence=evidence,
                message=message,
                tier="traffic" if flows else "launch_path",
                confidence=traffic_confidence(flows) if flows else None,
                variant="confirmed" if flows else None,
                facts={"where": where, "identifiers": listing(sent)},
                sdk_key=key,
                sdk_id=product_id,
                sdk_name=label,
            )
        )
    return findings


def _privacy_permissions(ctx: Context, request: PermissionRequest) -> list[str]:
    """The requested permissions that give access to personal information (dangerous, not exempt)."""
    exempt = permission_policy().launch_exempt
    return [p for p in request.permissions if p not in exempt and ctx.catalog.protection_level(p) == "dangerous"]


def permission_requested_at_launch(ctx: Context) -> list[Finding]:
    """Permissions requested as the app starts (Application or launcher activity), one finding per app.

    High when the app quits on refusal (认定方法 四.2) or when the APK has no consent dialog that could come first (三.1).
    """
    launch = _launch(ctx)
    if launch is None:
        return []
    requests = [r for r in launch.permission_requests if r.at_launch and _privacy_permissions(ctx, r)]
    if not requests:
        return []
    permissions = sorted({p for r in requests for p in _privacy_permissions(ctx, r)})
    where = listing(f"{r.caller_class}.{r.caller_method}" for r in requests)
    evidence = [
        Evidence(
            kind="code",
            summary=f"{r.caller_class}.{r.caller_method} calls {r.api} for {', '.join(r.permissions)} "
            f"(reached from {WHERE.get(r.at_launch or '', 'app start')})",
            call_site=r.model_dump(mode="json"),
        )
        for r in requests
    ]
    variant = None
    if launch.quits_on_denial:
        variant = "quits_on_denial"
        evidence.append(Evidence(kind="code", summary="The app finishes or exits when a requested permission is refused."))
    elif launch.consent_ui is False:
        variant = "before_consent"
        evidence.append(_consent_ui_evidence(launch))
    short = listing((p.rsplit(".", 1)[-1] for p in permissions), 6)
    message = f"{where} requests {short} as the app starts, before any feature needs them."
    if variant == "quits_on_denial":
        message += " The app closes when the user refuses."
    return [
        make_finding(
            "permission_requested_at_launch",
            package=ctx.package,
            evidence=evidence,
            message=message,
            tier="launch_path",
            variant=variant,
            facts={"where": where, "permissions": short},
            permission=permissions[0] if len(permissions) == 1 else None,
            sdk_key="launch",
        )
    ]
