using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using QwenFunctions.Http;

namespace QwenFunctions.Files;

/// <summary>The one file of a multipart upload, read into memory with the cap enforced while reading, and the small text fields before it.</summary>
public sealed record IncomingFile(string FileName, string ContentType, ChunkedBuffer Content, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// Streams a multipart/form-data body with <see cref="MultipartReader"/>: no disk buffering, the size cap checked on
/// Content-Length first and then while the file part is read, so an oversized upload stops as soon as it passes the cap.
/// </summary>
public static class MultipartUploadReader
{
    // Boundaries, part headers and small form fields around the file.
    private const long EnvelopeAllowance = 16 * 1024;
    private const int MaxOtherFieldBytes = 64 * 1024;

    public static async Task<IncomingFile> ReadFileAsync(HttpRequest request, string fieldName, FilesOptions options, CancellationToken cancellationToken)
    {
        var limit = options.MaxUploadBytes;
        if (request.ContentLength > limit + EnvelopeAllowance)
        {
            throw TooLarge(limit);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw ApiException.BadRequest($"Send the file as multipart/form-data in a field named '{fieldName}'.", fieldName, "invalid_content_type");
        }

        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        IncomingFile? file = null;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                var disposition = section.GetContentDispositionHeader();
                if (file is not null || disposition is null || !disposition.IsFileDisposition() || !string.Equals(disposition.Name.Value, fieldName, StringComparison.Ordinal))
                {
                    var value = await ReadSmallFieldAsync(section.Body, cancellationToken);
                    if (disposition?.Name.Value is { Length: > 0 } name && disposition.IsFormDisposition())
                    {
                        fields[name] = value;
                    }

                    continue;
                }

                var fileName = Path.GetFileName(disposition.FileNameStar.Value ?? disposition.FileName.Value ?? "") is { Length: > 0 } given ? given : "upload.bin";
                var contentType = FileKinds.ResolveContentType(section.ContentType, fileName);

                // Checked before the body is read: a refused type costs nothing upstream and little here.
                if (!FileKinds.IsAllowed(contentType, options.AllowedContentTypeList))
                {
                    throw ApiException.BadRequest($"Files of type '{contentType}' are not accepted.", fieldName, "unsupported_file_type");
                }

                ChunkedBuffer content;
                try
                {
                    content = await ChunkedBuffer.ReadAsync(section.Body, limit, cancellationToken);
                }
                catch (UploadTooLargeException)
                {
                    throw TooLarge(limit);
                }

                if (content.Length == 0)
                {
                    throw ApiException.BadRequest("The uploaded file is empty.", fieldName, "empty_file");
                }

                // Small fields may follow the file (OpenAI SDKs send purpose after it).
                file = new IncomingFile(fileName, contentType, content, fields);
            }
        }
        catch (InvalidDataException ex)
        {
            throw ApiException.BadRequest("The multipart body is malformed: " + ex.Message, fieldName, "invalid_multipart");
        }

        return file ?? throw ApiException.BadRequest($"File was not uploaded: the form has no file field named '{fieldName}'.", fieldName, "missing_file");
    }

    private static async Task<string> ReadSmallFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            var buffer = await ChunkedBuffer.ReadAsync(body, MaxOtherFieldBytes, cancellationToken);
            using var reader = new StreamReader(buffer.OpenRead(), System.Text.Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (UploadTooLargeException)
        {
            throw ApiException.BadRequest("A form field other than the file is too large.", null, "field_too_large");
        }
    }

    internal static ApiException TooLarge(long limit) =>
        new(HttpStatusCode.RequestEntityTooLarge, "invalid_request_error", "file_too_large",
            $"The file is larger than the upload limit of {limit} bytes ({limit / (1024.0 * 1024):0.#} MB).", "file");
}
