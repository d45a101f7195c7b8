using Threadline.Demo.ThirdParty;

namespace Threadline.Demo.Hosting;

/// <summary>What the demo's functions are configured with: their clients, the third-party APIs, the shop API and queue URLs.</summary>
public sealed record DemoContext(DemoClients Clients, ThirdPartyApis ThirdParties, Uri ShopApi, string PaymentsQueueUrl, string LunchTopicArn);
