"""Prompt-like sentences the TTS generators speak, by language.

The Asterisk voice packages ship no transcripts, so the synthetic side speaks sentences of
the same kind (IVR prompts, banking and family calls) written here.
"""

from __future__ import annotations

ENGLISH = (
    "Please enter your account number followed by the pound key.",
    "Your call is important to us, please stay on the line.",
    "All of our representatives are currently busy assisting other callers.",
    "To hear these options again, press star.",
    "The person you are calling is not available right now.",
    "Please leave a message after the tone.",
    "Your payment of two hundred dollars has been scheduled for Monday.",
    "I need you to transfer the money today, it is urgent.",
    "Hi Mum, it's me, I lost my phone and I need your help.",
    "Can you read me the code that was just sent to your phone?",
    "This is your bank's security department calling about a suspicious charge.",
    "Please confirm your date of birth and the last four digits of your card.",
    "Thank you for calling, goodbye.",
    "The conference will begin when the leader joins.",
    "You have three new voice messages.",
    "Press one to confirm, or press two to cancel.",
    "I'm calling from the office, could you approve the invoice before noon?",
    "We have detected unusual activity on your account.",
    "Your parcel could not be delivered, please call us back.",
    "The number you have dialed is not in service.",
    "Please say or enter the name of the person you wish to reach.",
    "I'm stuck at the airport and my wallet was stolen.",
    "Don't tell anyone about this call, just send the transfer.",
    "Your verification code is four, seven, nine, two, one, eight.",
    "We are sorry, the system is unable to process your request.",
    "Good morning, this is the doctor's office confirming your appointment.",
    "Your new balance is one thousand three hundred and twelve dollars.",
    "Please hold while we connect your call.",
    "Could you call me back on this number as soon as possible?",
    "The meeting has been moved to half past three tomorrow afternoon.",
    "I am the director and I need this payment authorised right away.",
    "For account information, press one; for card services, press two.",
    "That extension is invalid, please try again.",
    "Welcome to the voicemail system, please enter your password.",
    "Your card has been temporarily blocked for your protection.",
    "It's grandpa, I had a little accident with the car.",
    "You are caller number four in the queue.",
    "Thank you, your request has been recorded.",
    "Please stay calm and follow the instructions I give you.",
    "The total amount due is fifty four dollars and ninety cents.",
    "Let me check that for you, it will only take a moment.",
    "Sorry, I did not understand your response.",
    "I will text you the account details right after this call.",
    "We need to verify your identity before we continue.",
    "The weather tomorrow will be cloudy with occasional rain.",
    "Hello, is this a good time to talk about your insurance?",
    "Your flight has been delayed by two hours.",
    "Enter the amount you wish to transfer, then press pound.",
)

SPANISH = (
    "Por favor, introduzca su número de cuenta seguido de la tecla numeral.",
    "Su llamada es importante para nosotros, no cuelgue.",
    "Todos nuestros agentes están ocupados en este momento.",
    "Hola mamá, soy yo, perdí mi teléfono y necesito tu ayuda.",
    "Necesito que hagas la transferencia hoy mismo, es urgente.",
    "Por favor, deje su mensaje después del tono.",
    "Su tarjeta ha sido bloqueada temporalmente por seguridad.",
    "Pulse uno para confirmar o dos para cancelar.",
    "Le llamamos del banco por un cargo sospechoso en su cuenta.",
    "Gracias por llamar, hasta luego.",
    "El número que ha marcado no existe.",
    "Dígame el código que acaba de recibir en su teléfono.",
)

FRENCH = (
    "Veuillez entrer votre numéro de compte suivi de la touche dièse.",
    "Votre appel est important pour nous, veuillez patienter.",
    "Tous nos conseillers sont actuellement occupés.",
    "Allô maman, c'est moi, j'ai perdu mon téléphone.",
    "Il faut faire le virement aujourd'hui, c'est très urgent.",
    "Veuillez laisser votre message après le bip sonore.",
    "Votre carte a été bloquée temporairement pour votre sécurité.",
    "Appuyez sur un pour confirmer, ou sur deux pour annuler.",
    "Nous vous appelons de la banque au sujet d'un paiement suspect.",
    "Merci de votre appel, au revoir.",
    "Le numéro que vous avez composé n'est pas attribué.",
    "Pouvez-vous me lire le code que vous venez de recevoir?",
)

ITALIAN = (
    "Inserisca il numero di conto seguito dal tasto cancelletto.",
    "La sua chiamata è importante per noi, resti in linea.",
    "Tutti i nostri operatori sono momentaneamente occupati.",
    "Ciao mamma, sono io, ho perso il telefono e ho bisogno di aiuto.",
    "Devi fare il bonifico oggi stesso, è urgente.",
    "Lasci un messaggio dopo il segnale acustico.",
    "La sua carta è stata bloccata temporaneamente per sicurezza.",
    "Prema uno per confermare oppure due per annullare.",
    "La chiamiamo dalla banca per un addebito sospetto.",
    "Grazie per aver chiamato, arrivederci.",
    "Il numero selezionato è inesistente.",
    "Mi può leggere il codice che ha appena ricevuto?",
)

RUSSIAN = (
    "Пожалуйста, введите номер счёта и нажмите решётку.",
    "Ваш звонок очень важен для нас, оставайтесь на линии.",
    "Все операторы сейчас заняты.",
    "Мама, это я, я потерял телефон, мне нужна помощь.",
    "Нужно сделать перевод сегодня, это срочно.",
    "Оставьте сообщение после звукового сигнала.",
    "Ваша карта временно заблокирована в целях безопасности.",
    "Нажмите один для подтверждения или два для отмены.",
    "Вам звонят из службы безопасности банка.",
    "Спасибо за звонок, до свидания.",
    "Набранный вами номер не существует.",
    "Продиктуйте, пожалуйста, код из сообщения.",
)

BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": ENGLISH,
    "es": SPANISH,
    "fr": FRENCH,
    "it": ITALIAN,
    "ru": RUSSIAN,
}
