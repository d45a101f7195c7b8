using static Threadline.Stitching.Tests.Harness;

namespace Threadline.Stitching.Tests;

/// <summary>DynamoDB Streams: table + hashed key pairs + the nearest preceding write.</summary>
public sealed class DynamoDbTests
{
    private static readonly string Pk = ContractSpans.Pair("pk", "S", "user#1");
    private static readonly string Sk = ContractSpans.Pair("sk", "N", "7");

    [Fact]
    public void OverwriteLinksEachRecordToTheWriteJustBeforeIt()
    {
        var s = new ContractSpans();
        s.Lambda("first", "signup", "apigateway").WriteItems("PutItem", ("users", [Pk, Sk, ContractSpans.Pair("name", "S", "Ada")]));
        var insertTime = s.Now / 1_000_000;
        s.Tick(5_000);
        // PutItem over an existing item: the stream says MODIFY.
        s.Lambda("second", "profile", "apigateway").WriteItems("PutItem", ("users", [Pk, Sk, ContractSpans.Pair("name", "S", "Grace")]));
        var modifyTime = s.Now / 1_000_000;
        s.Tick(300);
        string[] key = [ContractSpans.ItemKey("users", Pk, Sk)];
        s.Lambda("insert", "users-stream", "dynamodb", "users", keys: key, times: [insertTime]);
        s.Lambda("modify", "users-stream", "dynamodb", "users", keys: key, times: [modifyTime]);

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted("first -> insert async dynamodb users dynamodb.key", "second -> modify async dynamodb users dynamodb.key"),
            Hops(engine, s));
        Assert.Equal(Sorted("first: first insert", "second: modify second"), Transactions(engine, s));
    }

    [Fact]
    public void OverwriteRecordsInOneBatchLinkTheBatchToBothWriters()
    {
        var s = new ContractSpans();
        s.Lambda("first", "signup", "apigateway").WriteItems("PutItem", ("users", [Pk, Sk]));
        var insertTime = s.Now / 1_000_000;
        s.Tick(5_000);
        s.Lambda("second", "profile", "apigateway").WriteItems("PutItem", ("users", [Pk, Sk]));
        var modifyTime = s.Now / 1_000_000;
        s.Tick(300);
        var key = ContractSpans.ItemKey("users", Pk, Sk);
        s.Lambda("batch", "users-stream", "dynamodb", "users", keys: [key, key], times: [insertTime, modifyTime]);

        var engine = Stitch(s.Spans());

        Assert.Equal(
            Sorted("first -> batch async dynamodb users dynamodb.key", "second -> batch async dynamodb users dynamodb.key"),
            Hops(engine, s));
        Assert.Equal(Sorted("first: batch first", "second: batch second"), Transactions(engine, s));
    }

    [Fact]
    public void UpsertByUpdateItemGivesAnInsertMatchedOnTheKeyAlone()
    {
        var s = new ContractSpans();
        s.Lambda("api", "carts", "apigateway").WriteItems("UpdateItem", ("carts", [Pk, Sk]));
        var insertTime = s.Now / 1_000_000;
        s.Lambda("c1", "carts-stream", "dynamodb", "carts", keys: [ContractSpans.ItemKey("carts", Pk, Sk)], times: [insertTime]);

        Assert.Equal(["api -> c1 async dynamodb carts dynamodb.key"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void KeysOnlyStreamMatchesAPutItemThatNamedEveryAttribute()
    {
        var s = new ContractSpans();
        s.Lambda("api", "signup", "apigateway").WriteItems("PutItem",
            ("users", [Pk, ContractSpans.Pair("email", "S", "ada@example.com"), ContractSpans.Pair("age", "N", "36")]));
        var recordTime = s.Now / 1_000_000;
        s.Lambda("c1", "users-stream", "dynamodb", "users", keys: [ContractSpans.ItemKey("users", Pk)], times: [recordTime]);

        Assert.Equal(["api -> c1 async dynamodb users dynamodb.key"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void TheSameKeyOnAnotherTableOrAfterTheRecordIsNotAMatch()
    {
        var s = new ContractSpans();
        s.Lambda("other-table", "audit", "apigateway").WriteItems("PutItem", ("audit", [Pk]));
        s.Lambda("before", "signup", "apigateway").WriteItems("PutItem", ("users", [Pk]));
        var recordTime = s.Now / 1_000_000;
        s.Tick(2_000);
        s.Lambda("later", "profile", "apigateway").WriteItems("PutItem", ("users", [Pk]));
        s.Lambda("c1", "users-stream", "dynamodb", "users", keys: [ContractSpans.ItemKey("users", Pk)], times: [recordTime]);

        Assert.Equal(["before -> c1 async dynamodb users dynamodb.key"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void AWriteWithinTheClockSlackAfterTheRecordTimeStillMatches()
    {
        var s = new ContractSpans();
        var recordTime = s.Now / 1_000_000;
        s.Tick(800);
        s.Lambda("api", "signup", "apigateway").WriteItems("PutItem", ("users", [Pk]));
        s.Tick(100);
        s.Lambda("c1", "users-stream", "dynamodb", "users", keys: [ContractSpans.ItemKey("users", Pk)], times: [recordTime]);

        Assert.Equal(["api -> c1 async dynamodb users dynamodb.key"], Hops(Stitch(s.Spans()), s));
    }

    [Fact]
    public void ALaterArrivingNearerWriteTakesTheLinkOver()
    {
        var s = new ContractSpans();
        var old = s.Lambda("old", "signup", "apigateway").WriteItems("PutItem", ("users", [Pk]));
        s.Tick(5_000);
        var nearer = s.Lambda("nearer", "profile", "apigateway").WriteItems("PutItem", ("users", [Pk]));
        var recordTime = s.Now / 1_000_000;
        var consumer = s.Lambda("c1", "users-stream", "dynamodb", "users", keys: [ContractSpans.ItemKey("users", Pk)], times: [recordTime]);
        var engine = new StitchEngine();

        engine.Ingest([.. old.Build(), .. consumer.Build()]);
        Assert.Equal(["old -> c1 async dynamodb users dynamodb.key"], Hops(engine, s));
        engine.Ingest([.. nearer.Build()]);

        Assert.Equal(["nearer -> c1 async dynamodb users dynamodb.key"], Hops(engine, s));
        Assert.Equal(Sorted("nearer: c1 nearer", "old: old"), Transactions(engine, s));
    }

    [Fact]
    public void MalformedItemKeysAndMissingTimesAreToleratedAndNeverMatchedWrongly()
    {
        var s = new ContractSpans();
        s.Lambda("api", "signup", "apigateway").WriteItems("PutItem", ("users", [Pk]), ("users", []));
        s.Tick(50);
        // No threadline.trigger.times: the consumer's start bounds the write instead.
        s.Lambda("c1", "users-stream", "dynamodb", "users",
            keys: ["dynamodb:item:users/&&", "dynamodb:item:/x", "dynamodb:item:users", ContractSpans.ItemKey("users", Pk)]);

        Assert.Equal(["api -> c1 async dynamodb users dynamodb.key"], Hops(Stitch(s.Spans()), s));
    }
}
