#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write data/demo-users.csv: 500 invented users in Identity Authentication's
user export format, for `provisioner --demo` and the tests.

Usage: generate-demo-users.py [OUTPUT]          (default: demo-users.csv beside this script)
       generate-demo-users.py --check [FILE]    (exit 1 when FILE differs from what this writes)

The output depends on nothing but this script: a fixed seed, no clock. Every
person is invented (real given names with made-up family names), every
address is @example.com, every phone number is in the 555-01xx range kept
for fiction, every street is made up.
"""

import csv
import io
import os
import random
import sys
import uuid

SEED = 20240501
COUNT = 500

ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
SAP = 'urn:ietf:params:scim:schemas:extension:sap:2.0:User'

GIVEN_NAMES = [
    'Ada', 'Aiko', 'Amara', 'Anders', 'Aroha', 'Beatriz', 'Bjørn', 'Chiara',
    'Dmitri', 'Elif', 'Emeka', 'Farah', 'Finn', 'Greta', 'Hamid', 'Hana',
    'Ines', 'Ivo', 'Jana', 'Jonas', 'Kaito', 'Keira', 'Lars', 'Leilani',
    'Luca', 'Maëlle', 'Mateo', 'Mei', 'Nadia', 'Nils', 'Noor', 'Oskar',
    'Priya', 'Quentin', 'Rafael', 'Rosa', 'Sanjay', 'Sofía', 'Tariq', 'Thea',
    'Uma', 'Vera', 'Wanjiru', 'Xavier', 'Yara', 'Yusuf', 'Zoë', 'Zoltán',
]

# Family names made of invented parts, so no real person is meant.
NAME_HEADS = [
    'Amber', 'Birch', 'Bramble', 'Copper', 'Dapple', 'Elder', 'Fern', 'Gossa',
    'Hollow', 'Ivor', 'Juni', 'Kestrel', 'Lark', 'Morrow', 'Nettle', 'Orrin',
    'Pebble', 'Quill', 'Rowan', 'Sorrel', 'Thistle', 'Umber', 'Vell', 'Wren',
]
NAME_TAILS = [
    'brook', 'by', 'dale', 'feather', 'field', 'gard', 'holm', 'ley',
    'mere', 'ridge', 'stead', 'thorne', 'vale', 'wick', 'worth',
]

TITLES = [
    'Account Executive', 'Data Analyst', 'Engineer', 'Senior Engineer',
    'Product Manager', 'Designer', 'Support Specialist', 'HR Partner',
    'Manager, Sales', 'Director, Operations', 'Controller', 'Recruiter',
]
DIVISIONS = ['Products', 'Services', 'Corporate']
DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Finance', 'People', 'Marketing', 'Legal']
USER_TYPES = ['employee'] * 17 + ['partner', 'customer', 'external']

# Country, locale, cities, and the shape of a postal code there (filled
# with a random number below the given limit).
PLACES = [
    ('DE', 'de_DE', ['Walldorf', 'Berlin', 'Hamburg', 'München'], '{:05d}', 100000),
    ('US', 'en_US', ['Palo Alto', 'Newtown Square', 'Chicago', 'Austin'], '{:05d}', 100000),
    ('FR', 'fr_FR', ['Paris', 'Lyon', 'Toulouse'], '{:05d}', 100000),
    ('GB', 'en_GB', ['London', 'Manchester', 'Leeds'], 'EX{} 1AB', 100),
    ('IN', 'en_IN', ['Bengaluru', 'Pune', 'Gurugram'], '{:06d}', 1000000),
    ('JP', 'ja_JP', ['Tokyo', 'Osaka'], '{:03d}-0001', 1000),
    ('BR', 'pt_BR', ['São Paulo', 'Curitiba'], '{:05d}-000', 100000),
]
STREETS = ['Example Street', 'Sample Road', 'Placeholder Avenue', 'Fiction Lane',
           'Demo Allee', 'Testweg', 'Rue de l’Exemple']

COLUMNS = [
    'id', 'userName', 'name.givenName', 'name.familyName', 'displayName',
    'emails[0].value', 'emails[0].primary', 'emails[0].type',
    'emails[1].value', 'emails[1].primary', 'emails[1].type',
    'emails[2].value', 'emails[2].primary', 'emails[2].type',
    'active', 'userType', 'title', 'locale',
    'phoneNumbers[0].value', 'phoneNumbers[0].type',
    'addresses[0].type', 'addresses[0].streetAddress', 'addresses[0].locality',
    'addresses[0].postalCode', 'addresses[0].country',
    'addresses[1].type', 'addresses[1].streetAddress', 'addresses[1].locality',
    'addresses[1].postalCode', 'addresses[1].country',
    ENTERPRISE + ':employeeNumber', ENTERPRISE + ':costCenter',
    ENTERPRISE + ':organization', ENTERPRISE + ':division',
    ENTERPRISE + ':department',
    SAP + ':userId',
]


def ascii_login(text):
    table = str.maketrans({'ø': 'o', 'ë': 'e', 'é': 'e', 'í': 'i', 'á': 'a',
                           'ã': 'a', 'ü': 'u', 'ö': 'o', 'ä': 'a'})
    return text.lower().translate(table)


def address(rng, kind, place):
    country, _, cities, postal, limit = place
    return {
        'type': kind,
        'streetAddress': '{} {}'.format(rng.randint(1, 240), rng.choice(STREETS)),
        'locality': rng.choice(cities),
        'postalCode': postal.format(rng.randrange(1, limit)),
        'country': country,
    }


def users():
    rng = random.Random(SEED)
    seen = set()
    for i in range(COUNT):
        given = rng.choice(GIVEN_NAMES)
        family = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
        login = '{}.{}'.format(ascii_login(given), ascii_login(family))
        n = 2
        base = login
        while login in seen:
            login = '{}{}'.format(base, n)
            n += 1
        seen.add(login)

        place = rng.choice(PLACES)
        locale = place[1]
        # A few locales lack the country, as real tenants have them.
        if rng.random() < 0.04:
            locale = locale.split('_')[0]

        row = {column: '' for column in COLUMNS}
        row['id'] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        row['userName'] = login
        row['name.givenName'] = given
        row['name.familyName'] = family
        row['displayName'] = '{} {}'.format(given, family)
        row['emails[0].value'] = login + '@example.com'
        row['emails[0].primary'] = 'TRUE'
        row['emails[0].type'] = 'work'
        if rng.random() < 0.15:
            row['emails[1].value'] = login + '.home@example.com'
            row['emails[1].primary'] = 'FALSE'
            row['emails[1].type'] = 'home'
        row['active'] = 'FALSE' if rng.random() < 0.04 else 'TRUE'
        row['userType'] = rng.choice(USER_TYPES)
        row['title'] = rng.choice(TITLES)
        row['locale'] = locale
        row['phoneNumbers[0].value'] = '+1 555-01{:02d}'.format(rng.randint(0, 99))
        row['phoneNumbers[0].type'] = 'work'
        for index, kind in ((0, 'work'), (1, 'home')):
            if kind == 'home' and rng.random() < 0.6:
                continue
            for key, value in address(rng, kind, place).items():
                row['addresses[{}].{}'.format(index, key)] = value
        row[ENTERPRISE + ':employeeNumber'] = '{:06d}'.format(100000 + i)
        row[ENTERPRISE + ':costCenter'] = 'CC-{:04d}'.format(rng.randint(1000, 1099))
        row[ENTERPRISE + ':organization'] = 'Example Corp'
        row[ENTERPRISE + ':division'] = rng.choice(DIVISIONS)
        row[ENTERPRISE + ':department'] = rng.choice(DEPARTMENTS)
        row[SAP + ':userId'] = 'P{:06d}'.format(900001 + i)
        yield row


def render():
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator='\r\n')
    writer.writeheader()
    for row in users():
        writer.writerow(row)
    return out.getvalue().encode('utf-8')


def main(argv):
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'demo-users.csv')
    if argv[1:2] == ['--check']:
        path = argv[2] if len(argv) > 2 else default
        with open(path, 'rb') as f:
            same = f.read() == render()
        print('1..1')
        print('{} 1 - {} is what {} writes'.format('ok' if same else 'not ok',
                                                   os.path.basename(path),
                                                   os.path.basename(argv[0])))
        return 0 if same else 1
    path = argv[1] if len(argv) > 1 else default
    with open(path, 'wb') as f:
        f.write(render())
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
