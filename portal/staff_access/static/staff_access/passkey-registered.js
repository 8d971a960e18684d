// Once a passkey is registered, carry on to making backup codes.
document.addEventListener("otp_webauthn.register_complete", () => {
  const button = document.getElementById("passkey-register-button");
  if (button && button.dataset.nextUrl) {
    window.location.assign(button.dataset.nextUrl);
  }
});
