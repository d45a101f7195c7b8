namespace Threadline.Demo.Scenario;

/// <summary>A payment the scenario sent through <c>POST /payments</c>, and how the API answered.</summary>
public sealed record PaymentResult(string PaymentId, DemoUser User, decimal Amount, int StatusCode, string? ApiRequestId);
