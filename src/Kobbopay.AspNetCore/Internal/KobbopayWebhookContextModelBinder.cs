using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>Binds an MVC action's <see cref="KobbopayWebhookContext"/> parameter to the event the pipeline verified for this request; never from the body.</summary>
internal sealed class KobbopayWebhookContextModelBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        Guard.NotNull(bindingContext);
        KobbopayWebhookContext verified = Verified(bindingContext.HttpContext);

        // Verified already; validation would walk into HttpContext (and read the request's form).
        bindingContext.ValidationState[verified] = new ValidationStateEntry { SuppressValidation = true };
        bindingContext.Result = ModelBindingResult.Success(verified);
        return Task.CompletedTask;
    }

    /// <summary>Gets the event verified for <paramref name="context"/>; a request that was not verified is a wiring mistake, never a bound default.</summary>
    internal static KobbopayWebhookContext Verified(HttpContext context) =>
        context.Features.Get<KobbopayWebhookContext>()
        ?? throw new InvalidOperationException("This request was not verified as a Kobbopay webhook: add .RequireKobbopaySignature() to the endpoint, [KobbopayWebhook] to the action, or app.UseKobbopayWebhookVerification(prefix) for its path.");
}
