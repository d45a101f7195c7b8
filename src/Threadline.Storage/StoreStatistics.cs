namespace Threadline.Storage;

public sealed record StoreStatistics(long SpanCount, long LogCount, long BytesOnDisk);
