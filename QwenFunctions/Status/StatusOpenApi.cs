using System.Net;
using Microsoft.OpenApi;
using QwenFunctions.Docs;
using QwenFunctions.Http;
using static QwenFunctions.Docs.OpenApiCommon;
using static QwenFunctions.Docs.OpenApiSchemas;

namespace QwenFunctions.Status;

/// <summary>GET /health (anonymous liveness) and GET /status (the account pool, seed shape plus per-feature detail).</summary>
public sealed class StatusOpenApi : IOpenApiContributor
{
    private const string Tag = "Status";

    public void Describe(OpenApiPaths paths, OpenApiComponents components)
    {
        var cooldown = Object(new Dictionary<string, IOpenApiSchema> { ["coolingDownUntil"] = String(format: "date-time", nullable: true) });
        var status = components.Define("StatusReport", Object(
            new Dictionary<string, IOpenApiSchema>
            {
                ["authenticated"] = Boolean("At least one account is usable."),
                ["totalAccounts"] = Integer(format: "int32"),
                ["validAccounts"] = Integer(format: "int32"),
                ["message"] = String(),
                ["accounts"] = Array(Object(new Dictionary<string, IOpenApiSchema>
                {
                    ["id"] = String("Account fingerprint (acc_…), never the token."),
                    ["name"] = String(),
                    ["status"] = Enum("Chat status, as the seed reports it.", "OK", "INVALID", "RATE_LIMITED"),
                    ["resetAt"] = String("When the chat cooldown ends.", "date-time", nullable: true),
                    ["invalid"] = Boolean(),
                    ["features"] = Object(new Dictionary<string, IOpenApiSchema> { ["chat"] = cooldown, ["image"] = cooldown, ["video"] = cooldown }),
                    ["lastError"] = String("The last upstream error kind seen.", nullable: true),
                    ["tokenExpiresAt"] = String("The current access token's own expiry claim (this instance's token).", "date-time", nullable: true),
                    ["invalidReason"] = String("Why the account is invalid (refresh_failed, unauthorized (…)); null while valid.", nullable: true),
                    ["invalidSince"] = String("Since when the account is invalid.", "date-time", nullable: true),
                    ["credential"] = Enum("access: a pasted access token; refresh: the app mints access tokens from a refresh token.", "access", "refresh"),
                    ["lastRefreshAt"] = String("When any instance last refreshed the account.", "date-time", nullable: true),
                    ["lastRefreshOutcome"] = String("ok, rejected (sign in again and replace the refresh token) or failed (the auth host failed).", nullable: true),
                    ["refreshFailures"] = Integer("Failed refreshes since the last one that worked.", format: "int32"),
                    ["refreshTokenRotated"] = Boolean("The upstream replaced the configured refresh token; the stored rotated one is in use."),
                    ["refreshTokenFingerprint"] = String("Fingerprint (rt_…) of the rotated refresh token; never the token.", nullable: true),
                })),
                ["state"] = FreeForm("Where cooldowns and bindings are stored, and whether that store is reachable."),
            },
            required: ["authenticated", "totalAccounts", "validAccounts", "accounts"]));

        paths.Add(HttpMethod.Get, Routes.Health, Operation("health", Tag, "Liveness", "Always anonymous; never calls chat.qwen.ai.")
            .Responds(HttpStatusCode.OK, "Alive.", Json, Object(new Dictionary<string, IOpenApiSchema> { ["status"] = Constant("ok") }, required: ["status"]))
            .Anonymous());

        paths.Add(HttpMethod.Get, Routes.Status, Operation("status", Tag, "Account pool status")
            .Responds(HttpStatusCode.OK, "Per-account and per-feature state.", Json, status)
            .WithProblems(HttpStatusCode.Unauthorized));
    }
}
