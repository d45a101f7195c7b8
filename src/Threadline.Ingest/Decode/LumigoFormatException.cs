namespace Threadline.Ingest.Decode;

/// <summary>A <c>/api/spans</c> body that is not a Lumigo span bulk; the message says what was wrong.</summary>
public sealed class LumigoFormatException(string message, Exception? innerException = null) : Exception(message, innerException);
