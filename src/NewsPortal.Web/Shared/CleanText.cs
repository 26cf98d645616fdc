using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace NewsPortal.Web.Shared;

/// <summary>Every string read from (or written to) JSON passes <see cref="Text.Clean"/>: the API's bodies, JSON Lines imports.</summary>
public sealed class CleanTextJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.GetString() is { } value ? Text.Clean(value) : null;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(Text.Clean(value));
}

/// <summary>Every string a page binds (form fields, query strings, route values) passes <see cref="Text.Clean"/> before validation sees it.</summary>
public sealed class CleanTextModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
        => context.Metadata.ModelType == typeof(string) && IsFromFormQueryOrRoute(context.BindingInfo.BindingSource)
            ? new Binder(new SimpleTypeModelBinder(typeof(string), context.Services.GetRequiredService<ILoggerFactory>()))
            : null;

    private static bool IsFromFormQueryOrRoute(BindingSource? source)
        => source is null || source == BindingSource.ModelBinding || source == BindingSource.Form || source == BindingSource.Query || source == BindingSource.Path;

    private sealed class Binder(IModelBinder inner) : IModelBinder
    {
        public async Task BindModelAsync(ModelBindingContext bindingContext)
        {
            await inner.BindModelAsync(bindingContext);
            if (bindingContext.Result is { IsModelSet: true, Model: string value })
            {
                bindingContext.Result = ModelBindingResult.Success(Text.Clean(value));
            }
        }
    }
}
