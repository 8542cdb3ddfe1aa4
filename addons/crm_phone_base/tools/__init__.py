from .phone import Phone, parse_phone, parse_phones
