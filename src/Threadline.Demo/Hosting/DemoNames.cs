namespace Threadline.Demo.Hosting;

/// <summary>Names of the demo's functions and resources.</summary>
public static class DemoNames
{
    public const string ProcessPayment = "process-payment";
    public const string FraudCheck = "fraud-check";
    public const string Notify = "notify";
    public const string SendEmail = "send-email";
    public const string ArchiveReceipt = "archive-receipt";
    public const string UpdateLoyalty = "update-loyalty";
    public const string Aggregate = "aggregate";
    public const string Lunchbot = "lunchbot";
    public const string Menu = "menu";

    public const string PaymentsQueue = "payments-queue";
    public const string LunchQueue = "lunch-queue";
    public const string PaymentsTable = "payments";
    public const string LoyaltyTable = "loyalty";
    public const string ReceiptsBucket = "receipts";
    public const string ArchiveBucket = "receipts-archive";
    public const string ClickstreamStream = "clickstream";
    public const string LunchTopic = "lunch-menu";
    public const string OrderPlacedRule = "order-placed";
    public const string LunchScheduleRule = "lunch-time";
    public const string ShopApi = "shop";

    public const string ShopEventSource = "threadline.shop";
    public const string OrderPlaced = "order-placed";
}
