// The page's own words in the platform's four languages. The server page
// may replace any of them with <script type="application/json"
// id="respondent-messages">{"submit": "…"}</script>.

export const MESSAGES = {
  en: {
    language: 'Language',
    required: 'This answer is required.',
    constraint: 'This answer is not allowed.',
    number_whole: 'Enter a whole number.',
    number_decimal: 'Enter a number.',
    geopoint: 'Enter latitude and longitude separated by a space, such as 18.01 -76.80.',
    geopoint_locate: 'Use my location',
    geopoint_locating: 'Finding your location…',
    geopoint_failed: 'Your location could not be found; type it instead.',
    add: 'Add',
    remove: 'Remove',
    entry: 'Entry {n}',
    acknowledge: 'OK',
    submit: 'Submit answers',
    fix: 'Please correct {n} answer(s) before submitting.',
    saved: 'Your answers are saved on this device.',
    offline: 'You are offline. You can keep answering; your answers will be sent when the connection returns.',
    queued: 'Your answers are saved on this device and will be sent when the connection returns.',
    sending: 'Sending your answers…',
    sent: 'Thank you. Your answers have been sent.',
    failed: 'Your answers could not be accepted: {detail}',
    retry_note: 'Keep this page open or open the link again later to finish sending.',
    file_lost: 'Choose the file again: files are not kept when the page is closed.',
    select_placeholder: 'Choose…',
  },
  es: {
    language: 'Idioma',
    required: 'Esta respuesta es obligatoria.',
    constraint: 'Esta respuesta no es válida.',
    number_whole: 'Introduzca un número entero.',
    number_decimal: 'Introduzca un número.',
    geopoint: 'Introduzca latitud y longitud separadas por un espacio, como 18.01 -76.80.',
    geopoint_locate: 'Usar mi ubicación',
    geopoint_locating: 'Buscando su ubicación…',
    geopoint_failed: 'No se pudo obtener su ubicación; escríbala.',
    add: 'Añadir',
    remove: 'Quitar',
    entry: 'Entrada {n}',
    acknowledge: 'De acuerdo',
    submit: 'Enviar respuestas',
    fix: 'Corrija {n} respuesta(s) antes de enviar.',
    saved: 'Sus respuestas se guardan en este dispositivo.',
    offline: 'No tiene conexión. Puede seguir respondiendo; sus respuestas se enviarán cuando vuelva la conexión.',
    queued: 'Sus respuestas están guardadas en este dispositivo y se enviarán cuando vuelva la conexión.',
    sending: 'Enviando sus respuestas…',
    sent: 'Gracias. Sus respuestas se han enviado.',
    failed: 'Sus respuestas no se pudieron aceptar: {detail}',
    retry_note: 'Mantenga esta página abierta o vuelva a abrir el enlace más tarde para terminar el envío.',
    file_lost: 'Elija el archivo de nuevo: los archivos no se guardan al cerrar la página.',
    select_placeholder: 'Elija…',
  },
  fr: {
    language: 'Langue',
    required: 'Cette réponse est obligatoire.',
    constraint: "Cette réponse n'est pas acceptée.",
    number_whole: 'Saisissez un nombre entier.',
    number_decimal: 'Saisissez un nombre.',
    geopoint: 'Saisissez la latitude et la longitude séparées par une espace, par exemple 18.01 -76.80.',
    geopoint_locate: 'Utiliser ma position',
    geopoint_locating: 'Recherche de votre position…',
    geopoint_failed: "Votre position n'a pas pu être trouvée ; saisissez-la.",
    add: 'Ajouter',
    remove: 'Retirer',
    entry: 'Entrée {n}',
    acknowledge: "D'accord",
    submit: 'Envoyer les réponses',
    fix: 'Corrigez {n} réponse(s) avant d’envoyer.',
    saved: 'Vos réponses sont enregistrées sur cet appareil.',
    offline: 'Vous êtes hors ligne. Vous pouvez continuer ; vos réponses seront envoyées au retour de la connexion.',
    queued: 'Vos réponses sont enregistrées sur cet appareil et seront envoyées au retour de la connexion.',
    sending: 'Envoi de vos réponses…',
    sent: 'Merci. Vos réponses ont été envoyées.',
    failed: "Vos réponses n'ont pas pu être acceptées : {detail}",
    retry_note: "Gardez cette page ouverte ou rouvrez le lien plus tard pour terminer l'envoi.",
    file_lost: 'Choisissez de nouveau le fichier : les fichiers ne sont pas conservés à la fermeture de la page.',
    select_placeholder: 'Choisir…',
  },
  nl: {
    language: 'Taal',
    required: 'Dit antwoord is verplicht.',
    constraint: 'Dit antwoord is niet toegestaan.',
    number_whole: 'Vul een geheel getal in.',
    number_decimal: 'Vul een getal in.',
    geopoint: 'Vul breedte- en lengtegraad in, gescheiden door een spatie, bijvoorbeeld 18.01 -76.80.',
    geopoint_locate: 'Mijn locatie gebruiken',
    geopoint_locating: 'Uw locatie wordt gezocht…',
    geopoint_failed: 'Uw locatie kon niet worden bepaald; typ deze in.',
    add: 'Toevoegen',
    remove: 'Verwijderen',
    entry: 'Invoer {n}',
    acknowledge: 'Akkoord',
    submit: 'Antwoorden versturen',
    fix: 'Verbeter {n} antwoord(en) voordat u verstuurt.',
    saved: 'Uw antwoorden worden op dit apparaat bewaard.',
    offline: 'U bent offline. U kunt verder antwoorden; uw antwoorden worden verstuurd zodra de verbinding terug is.',
    queued: 'Uw antwoorden zijn op dit apparaat bewaard en worden verstuurd zodra de verbinding terug is.',
    sending: 'Uw antwoorden worden verstuurd…',
    sent: 'Dank u. Uw antwoorden zijn verstuurd.',
    failed: 'Uw antwoorden konden niet worden aanvaard: {detail}',
    retry_note: 'Houd deze pagina open of open de link later opnieuw om het versturen af te ronden.',
    file_lost: 'Kies het bestand opnieuw: bestanden worden niet bewaard als de pagina sluit.',
    select_placeholder: 'Kies…',
  },
};

// languageCode reads the code of a form language named like "Español (es)".
export function languageCode(name) {
  const m = /\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\)\s*$/.exec(name || '');
  return m ? m[1].toLowerCase() : '';
}

// messages returns the words for a language code, with overrides.
export function messages(code, overrides = {}) {
  const base = MESSAGES[(code || '').slice(0, 2)] || MESSAGES.en;
  return { ...MESSAGES.en, ...base, ...overrides };
}

export function fill(s, vars) {
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}
