#!/usr/bin/env python3
"""Derive durand's entity tables (src/tag/data/places.tsv, groups.tsv, forces.tsv) from public
gazetteers and curated decisions.

Inputs (read from ../shared/data, never copied into the repository):
  03_gazetteers/af_pk_admin_geonames.csv           GeoNames ADM1/ADM2 (CC BY 4.0)
  03_gazetteers/geonames/cities15000_AF_PK.tsv     GeoNames cities with alternate names
  04_armed_groups/af_pk_armed_groups_aliases.csv   OFAC SDN (public domain) + UCDP actors (CC BY 4.0)
  01_news_rss2023/rss2023_news_en.jsonl.gz          524k English news items, used only for
                                                    statistics: how often a one-word name is
                                                    seen in lower case (a common word) and how
                                                    often it is seen outside Af-Pak news

Flags written to the tables (see src/tag/mod.rs for how the tagger reads them):
  cs        match the exact case ("Swat", not "swat"; "IS", not "is")
  ctx       only with a local cue: "in Tank", "Tank district", "IS militants"
  region    only in a document that refers to Pakistan or Afghanistan
  capital   a place unless it stands for its government ("Islamabad says")
  part      the name of a region within its unit (FATA, Waziristan): tagged as the unit; a
            filter by it stands for the whole unit, and says so
  defer:G   a bare name that means G where the text is about G (see groups: Taliban)
  in:C      only in a passage about country C (bare "police": Pakistan's police)
  local:G   means G in a passage placed in Afghanistan or Pakistan ("Islamic State" → IS-K)
  before:D / after:D   only in documents dated before / after day D
A curated alias written "name|…,-stats" keeps exactly its flags: the news statistics (which
add cs, ctx and region to one-word names) do not apply to it.

Every row says where it came from (the last column): geonames:adm1, geonames:adm2,
geonames:city, ofac, ucdp, or curated (a decision in this script).

Run from the project root:  python3 scripts/build_tables.py [--data ../shared/data]
The curated decisions (canonical names, extra spellings, dropped aliases) are the dicts below.
"""

import argparse
import collections
import csv
import gzip
import json
import os
import re
import sys
import unicodedata
from difflib import SequenceMatcher

# ----------------------------------------------------------------------------- provinces

# GeoNames ADM1 name -> the spelling the press uses. GeoNames' own names stay as aliases.
PROVINCE_NAMES = {
    "Ghowr": "Ghor",
    "Khowst": "Khost",
    "Oruzgan": "Uruzgan",
    "Vardak": "Wardak",
    "Islamabad": "Islamabad Capital Territory",
}

# Extra spellings of provinces (flags after a "|").
PROVINCE_ALIASES = {
    "Badakhshan": ["Badakshan"],
    "Bamyan": ["Bamiyan", "Bamian"],
    "Daykundi": ["Daikundi", "Dai Kundi", "Day Kundi"],
    "Ghor": ["Ghowr", "Ghour"],
    "Helmand": ["Hilmand"],
    "Herat": ["Hirat"],
    "Jowzjan": ["Jawzjan", "Jozjan"],
    "Khost": ["Khowst", "Khōst"],
    "Kunar": ["Konar"],
    "Kunduz": ["Kondoz", "Qunduz"],
    "Nangarhar": ["Ningarhar", "Nangrahar"],
    "Nimroz": ["Nimruz"],
    "Nuristan": ["Nooristan"],
    "Paktia": ["Paktiya", "Paktya"],
    "Panjshir": ["Panjsher", "Panjsheer"],
    "Parwan": ["Parvan"],
    "Sar-e Pol": ["Sar-e-Pul", "Sar-i-Pul", "Sari Pul", "Sar-e-Pol", "Sar-i Pul"],
    "Uruzgan": ["Oruzgan", "Urozgan", "Orozgan"],
    "Wardak": ["Vardak", "Maidan Wardak", "Maidan-Wardak"],
    "Zabul": ["Zabol"],
    "Azad Kashmir": ["Azad Jammu and Kashmir", "Azad Jammu & Kashmir", "AJK|cs",
                     "Pakistan-administered Kashmir", "Pakistan-controlled Kashmir"],
    "Balochistan": ["Baluchistan", "Baluchestan"],
    "Gilgit-Baltistan": ["Gilgit Baltistan", "Northern Areas|cs"],
    "Islamabad Capital Territory": ["Islamabad|capital", "ICT|cs,ctx", "Islamabad Capital Territory",
                                    "Pakistani capital", "Pakistan's capital"],
    "Kabul": ["Kabul|capital", "Afghan capital", "Afghanistan's capital"],
    "Kandahar": ["Qandahar", "Kandhar", "Khandhar"],
    "Khyber Pakhtunkhwa": ["Khyber-Pakhtunkhwa", "Khyber Pakhtoonkhwa", "Khyber Pukhtunkhwa",
                           "Khyber Pakhtunkhuwa", "Khyber Pakhtoonkhawa", "Khyber Pukhtoonkhwa",
                           "Pakhtunkhwa", "KP|cs", "KPK|cs", "NWFP|cs", "N.W.F.P.",
                           "North-West Frontier Province", "North West Frontier Province",
                           "Northwest Frontier Province", "FATA|cs,part",
                           "Federally Administered Tribal Areas|part", "tribal areas|part,region",
                           "Waziristan|part", "Wazīristān|part"],
    "Punjab": ["Punjab|region"],
    "Sindh": ["Sind|cs,region"],
}

# Place names that are also people's names or words: only with a locative cue. Kakar is a
# district of Zabul and the name of Pakistan's caretaker prime minister; Shuhada means
# "martyrs".
PLACE_FLAGS = {
    "Kakar": {"ctx"}, "Qaisar": {"ctx"}, "Shinwari": {"ctx"}, "Shuhada": {"ctx"},
    "Mir Ali": {"cs", "ctx"},
}

# District names that are not worth the risk, and cities whose GeoNames name is a
# description rather than a name.
DROP_PLACE_ALIASES = {
    "Tribal Area", "Protected Area", "District", "Agency", "Center", "Markaz",
    "Musa Banda/Musa khan kallay", "Nowshera Kalan",
    "Mian Sahib",  # an honorific ("Mian Sahib" is how the press names Nawaz Sharif)
}

# A few names the gazetteers lack or spell oddly.
EXTRA_PLACES = [
    # (country, province, place, level, aliases)
    ("Pakistan", "Khyber Pakhtunkhwa", "North Waziristan", "district",
     ["North Waziristan", "North Wazīristān", "N. Waziristan"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "South Waziristan", "district",
     ["South Waziristan", "South Wazīristān", "S. Waziristan"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Miranshah", "city", ["Miranshah", "Miram Shah", "Miramshah"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Wana", "city", ["Wana|cs,ctx"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Mir Ali", "city", ["Mir Ali|cs,ctx"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Jamrud", "city", ["Jamrud"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Bara", "city", ["Bara|cs,ctx"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Datta Khel", "city", ["Datta Khel", "Dattakhel"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Ghulam Khan", "city", ["Ghulam Khan|cs,ctx"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Angoor Adda", "city", ["Angoor Adda", "Angur Adda"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Buner", "district", ["Bunir"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Dera Ismail Khan", "district",
     ["D.I. Khan", "D.I.Khan", "DI Khan", "D I Khan", "Dera Ismail Khan"]),
    ("Pakistan", "Gilgit-Baltistan", "Chilas", "city", ["Chilas"]),
    ("Pakistan", "Balochistan", "Dalbandin", "city", ["Dalbandin"]),
    ("Pakistan", "Islamabad Capital Territory", "Lal Masjid", "city",
     ["Lal Masjid", "Red Mosque"]),
    # a junction and metro terminal of Islamabad, not the city of Peshawar
    ("Pakistan", "Islamabad Capital Territory", "Peshawar Mor", "city",
     ["Peshawar Mor|cs", "Peshawar Morr|cs"]),
    ("Afghanistan", "Ghor", "Chaghcharan", "city", ["Chaghcharan", "Feroz Koh", "Firozkoh",
                                                      "Firoz Koh"]),
    ("Afghanistan", "Kandahar", "Spin Boldak", "district", ["Spin Boldak", "Spin Buldak",
                                                             "Spinboldak", "Spinbolduk"]),
    ("Afghanistan", "Kabul", "Kabul", "city", ["Hamid Karzai International Airport",
                                               "Kabul airport"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Torkham", "city", ["Torkham"]),
    ("Pakistan", "Punjab", "Rawalpindi", "city", ["Adiala Jail", "Adiyala Jail"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Tirah", "region", ["Tirah", "Tirah Valley"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Landi Kotal", "city", ["Landi Kotal", "Landikotal"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Parachinar", "city", ["Parachinar"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Bajaur", "district", ["Bajaur", "Bajour", "Bajur"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Mohmand", "district", ["Mohmand"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Orakzai", "district", ["Orakzai"]),
    ("Pakistan", "Khyber Pakhtunkhwa", "Khyber", "district", ["Khyber District", "Khyber Agency",
                                                               "Khyber tribal district"]),
    ("Pakistan", "Balochistan", "Chaman", "city", ["Chaman"]),
    ("Pakistan", "Balochistan", "Quetta", "city", ["Quetta"]),
    ("Afghanistan", "Kunar", "Asadabad", "city", ["Asadabad", "Asad Abad"]),
    ("Afghanistan", "Nangarhar", "Jalalabad", "city", ["Jalalabad"]),
    ("Afghanistan", "Nangarhar", "Tora Bora", "region", ["Tora Bora"]),
    ("Afghanistan", "Balkh", "Mazar-i-Sharif", "city", ["Mazar-i-Sharif", "Mazar-e-Sharif",
                                                         "Mazar-e Sharif", "Mazar i Sharif"]),
    ("Afghanistan", "Paktika", "Barmal", "district", ["Barmal"]),
]

# Towns the curated rows above add, and the districts they lie in (GeoNames gives its cities'
# districts itself).
CURATED_WITHIN = {
    "Miranshah": "North Waziristan", "Mir Ali": "North Waziristan",
    "Datta Khel": "North Waziristan", "Ghulam Khan": "North Waziristan",
    "Wana": "South Waziristan", "Angoor Adda": "South Waziristan",
    "Jamrud": "Khyber", "Bara": "Khyber", "Landi Kotal": "Khyber", "Torkham": "Khyber",
    "Tirah": "Khyber", "Parachinar": "Kurram", "Chaman": "Qila Abdullah",
}

# ----------------------------------------------------------------------------- groups

# canonical name -> source keys whose aliases it takes, spellings to add, aliases to drop.
GROUPS = {
    "TTP": {
        "country": "Pakistan",
        "keys": ["OFAC:12206", "UCDP:356", "UCDP:1101", "UCDP:1102", "UCDP:1103",
                 "UCDP:3047", "UCDP:5864", "UCDP:5865"],
        "add": ["TTP", "Tehrik-i-Taliban Pakistan", "Tehrik-e-Taliban Pakistan",
                "Tehreek-e-Taliban Pakistan", "Tehreek-i-Taliban Pakistan", "Tehrik-i-Taliban",
                "Tehreek-e-Taliban", "Tehrik-e-Taliban", "Tahrik-i-Taliban Pakistan",
                "Tehrik Taliban Pakistan", "Tehreek Taliban Pakistan",
                "Pakistani Taliban", "Pakistani Taleban", "Pakistan Taliban", "Pakistan's Taliban",
                "Taliban Movement of Pakistan", "Fitna al-Khawarij", "Fitna al Khawarij",
                "Fitna-al-Khawarij"],
        "drop": ["TTP - TA", "TTP - MR", "TTP - MT",
                 "Taleban Movement of Pakistan - Tariq Afridi faction",
                 "Taleban Movement of Pakistan - Mulla Rafique faction",
                 "Taleban Movement of Pakistan - Mullah Toofan faction",
                 "Taleban Movement of Pakistan - Islahi faction",
                 "Taleban Movement of Pakistan - Khalid Mehsud faction",
                 "Taleban Movement of Pakistan - Shehryar Mehsud faction"],
    },
    "Afghan Taliban": {
        "country": "Afghanistan",
        "keys": ["OFAC:6636", "UCDP:303", "UCDP:856", "UCDP:857", "UCDP:6252"],
        # Bare "Taliban" is resolved per passage, then per document (src/tag/mod.rs): the
        # TTP where the passage names the TTP or lies in Pakistan, else the Afghan Taliban.
        "add": ["Taliban|defer:TTP", "Taleban|defer:TTP", "Talibans|defer:TTP",
                "Afghan Taliban", "Afghan Taleban", "Afghanistan's Taliban",
                "Taliban government", "Taliban regime", "Taliban authorities",
                "Taliban administration", "Taliban rulers", "Taliban-led government",
                "Taliban government's", "Taliban leadership",
                # The Taliban that rule, run or hold office are Afghanistan's, wherever the
                # paragraph's places lie ("Afghanistan's ruling Taliban reopened Torkham").
                "ruling Taliban", "Taliban gov't", "Taliban-run", "Taliban-ruled",
                "Taliban officials", "Taliban-led administration", "Taliban's government",
                "Islamic Emirate", "Islamic Emirate of Afghanistan", "IEA|cs,ctx"],
        "drop": ["TALIBAN", "TALEBAN", "Taleban", "Taleban - Ali Dad faction",
                 "Taleban - Mola Khel faction", "High Council of Afghanistan Islamic Emirate",
                 "Taleban - Mohamed Rasool faction"],
    },
    "Haqqani network": {
        "country": "Afghanistan",
        "keys": ["OFAC:15484"],
        "add": ["Haqqani network", "Haqqani Network", "Haqqanis", "HQN|cs",
                "Haqqani|ctx"],  # also a surname (Husain Haqqani): only with a cue
        "drop": [],
    },
    "IS-K": {
        "country": "Afghanistan",
        "keys": ["OFAC:18647"],
        "add": ["IS-K", "ISIS-K", "ISKP", "IS-KP", "ISIS-KP", "ISIL-K", "ISKP's",
                "Islamic State-Khorasan", "Islamic State Khorasan", "Islamic State of Khorasan",
                "Islamic State Khorasan Province", "Islamic State-Khorasan Province",
                "Islamic State in Khorasan", "Daesh-Khorasan", "Daesh Khorasan",
                "Islamic State's Khorasan Province", "Wilayat Khorasan"],
        "drop": [],
    },
    "Islamic State": {
        "country": "",
        "keys": ["OFAC:8759", "UCDP:234"],
        # In Afghanistan or Pakistan, the Islamic State is its Khorasan province.
        "add": ["Islamic State|local:IS-K", "Islamic State group|local:IS-K",
                # Not in capitals: "Isis" (as the Guardian writes it) and "ISIS" alike.
                "Isis|local:IS-K,-stats", "ISIL|local:IS-K",
                "Daesh|local:IS-K", "IS|cs,ctx,local:IS-K"],
        "drop": ["THE MONOTHEISM AND JIHAD GROUP", "AL-TAWHID", "AL HAYAT", "AL HAYAT MEDIA CENTER",
                 "AL-HAYAT MEDIA CENTER", "AMAQ NEWS AGENCY", "AL-FURQAN ESTABLISHMENT FOR MEDIA PRODUCTION",
                 "DAWLA AL ISLAMIYA", "ISI", "IS", "The Monotheism and Jihad Group", "TQJBR",
                 "ISIS",  # added below as "Isis", matched in any case
                 "Organization of of Jihad’s Base in the Country of the Two Rivers, Islamic State of Iraq, Islamic State in Iraq and al-Sham, Islamic State",
                 "Jama’at Al-Tawhid wa Al-Jihad"],
    },
    "al-Qaeda": {
        "country": "",
        "keys": ["OFAC:6366", "UCDP:769"],
        "add": ["al-Qaeda", "al-Qaida", "al Qaeda", "al Qaida", "al-Qa'ida", "Al Qaeda",
                "Al-Qaeda", "Al-Qaida", "al-Qaeda's"],
        "drop": ["ISLAMIC SALVATION FOUNDATION", "THE BASE", "The Base", "AL-JIHAD", "EGYPTIAN AL-JIHAD",
                 "EGYPTIAN ISLAMIC JIHAD", "NEW JIHAD", "THE JIHAD GROUP", "ISLAMIC ARMY",
                 "INTERNATIONAL FRONT FOR FIGHTING JEWS AND CRUSADES",
                 "ISLAMIC ARMY FOR THE LIBERATION OF HOLY SITES",
                 "THE ISLAMIC ARMY FOR THE LIBERATION OF THE HOLY PLACES",
                 "THE GROUP FOR THE PRESERVATION OF THE HOLY SITES"],
    },
    "AQIS": {
        "country": "",
        "keys": ["OFAC:20159"],
        "add": ["AQIS", "al-Qaeda in the Indian Subcontinent", "Al-Qaeda in the Indian Subcontinent"],
        "drop": [],
    },
    "Lashkar-e-Taiba": {
        "country": "Pakistan",
        "keys": ["OFAC:7140"],
        "add": ["Lashkar-e-Taiba", "Lashkar-e-Tayyiba", "Lashkar-e-Toiba", "Lashkar-i-Taiba",
                "LeT|cs", "Jamaat-ud-Dawa", "Jamaat ud Dawa", "Jamaat-ud-Dawah", "JuD|cs"],
        "drop": ["ARMY OF THE PURE", "ARMY OF THE RIGHTEOUS", "ARMY OF THE PURE AND RIGHTEOUS",
                 "WELFARE OF HUMANITY", "HUMANITARIAN WELFARE FOUNDATION", "HUMAN WELFARE FOUNDATION",
                 "KASHMIR FREEDOM MOVEMENT", "MOVEMENT FOR FREEDOM OF KASHMIR", "MILLI MUSLIM LEAGUE",
                 "MILLI MUSLIM LEAGUE PAKISTAN", "MML", "TAJK", "JUD", "AL-MUHAMMADIA STUDENTS",
                 "FALAH INSANIA", "AL MANSOOREEN", "AL MANSOORIAN"],
    },
    "Jaish-e-Mohammed": {
        "country": "Pakistan",
        "keys": ["OFAC:6935"],
        "add": ["Jaish-e-Mohammed", "Jaish-e-Muhammad", "Jaish-e-Mohammad", "Jaish-i-Mohammed",
                "JeM|cs"],
        "drop": ["ARMY OF MOHAMMED", "MOHAMMED'S ARMY"],
    },
    "Lashkar-e-Jhangvi": {
        "country": "Pakistan",
        "keys": ["OFAC:7331", "UCDP:388"],
        "add": ["Lashkar-e-Jhangvi", "Lashkar-i-Jhangvi", "LeJ|cs"],
        "drop": ["LJ", "Army of Jhangvi"],
    },
    "Jamaat-ul-Ahrar": {
        "country": "Pakistan",
        "keys": ["OFAC:20360", "UCDP:5928"],
        "add": ["Jamaat-ul-Ahrar", "Jamaatul Ahrar", "JuA|cs"],
        "drop": ["The Freedom Fighters of India", "Freedom fighters group", "JUA"],
    },
    "BLA": {
        "country": "Pakistan",
        "keys": ["OFAC:26953", "UCDP:287"],
        "add": ["BLA", "Balochistan Liberation Army", "Baloch Liberation Army",
                "Baluchistan Liberation Army"],
        "drop": [],
    },
    "BLF": {
        "country": "Pakistan","keys": ["UCDP:1166"], "add": ["Balochistan Liberation Front"], "drop": []},
    "BRA": {
        "country": "Pakistan","keys": ["UCDP:289"], "add": ["Baloch Republican Army", "BRA|cs,ctx"],
            "drop": ["BRA"]},
    "BRAS": {
        "country": "Pakistan","keys": ["UCDP:7542"], "add": [], "drop": ["Baloch National Freedom Movement"]},
    "UBA": {
        "country": "Pakistan","keys": ["UCDP:3192"], "add": [], "drop": []},
    "Harkat-ul-Mujahideen": {
        "country": "Pakistan",
        "keys": ["OFAC:4696"],
        "add": ["Harkat-ul-Mujahideen", "Harakat-ul-Mujahideen"],
        "drop": ["AL-FARAN", "AL-HADID", "AL-HADITH", "HUA", "HUM", "ANSAR-UL-UMMAH"],
    },
    "HuJI": {
        "country": "","keys": ["OFAC:12148"], "add": ["Harkat-ul-Jihad al-Islami"],
             "drop": ["MOVEMENT OF ISLAMIC HOLY WAR"]},
    "Hizbul Mujahideen": {
        "country": "","keys": ["OFAC:22812"], "add": [], "drop": ["HM"]},
    "IMU": {
        "country": "","keys": ["OFAC:6725", "UCDP:359"], "add": ["IMU|cs,ctx"], "drop": ["IMU"]},
    "ETIM": {
        "country": "","keys": ["OFAC:7262"], "add": ["Turkistan Islamic Party", "TIP|cs,ctx"], "drop": []},
    "Fatemiyoun": {
        "country": "","keys": ["OFAC:26347"], "add": [], "drop": []},
    "Lashkar-e-Islam": {
        "country": "Pakistan","keys": ["UCDP:399"], "add": ["Lashkar-i-Islam"], "drop": ["Army of Islam"]},
    "Jundallah": {
        "country": "Pakistan","keys": ["UCDP:310"], "add": ["Jundallah", "Jundullah"], "drop": ["Army of God"]},
    "Hizb-i-Islami": {
        "country": "Afghanistan",
        "keys": ["UCDP:299", "UCDP:294"],
        "add": ["Hizb-i-Islami", "Hezb-e-Islami", "Hizb-e-Islami", "Hezb-i-Islami"],
        "drop": ["Islamic Party of Afghanistan", "Islamic Party of Afghanistan - Khalis faction"],
    },
    "NRF": {
        "country": "Afghanistan","keys": ["UCDP:8114"], "add": ["National Resistance Front", "NRF|cs,ctx"],
            "drop": ["NRF"]},
    "TJP": {
        "country": "Pakistan", "keys": [],
        "add": ["Tehreek-e-Jihad Pakistan", "Tehrik-e-Jihad Pakistan", "Tehreek-i-Jihad Pakistan",
                "Tahreek-e-Jihad Pakistan", "TJP|cs,ctx"],
        "drop": [],
    },
    "ASWJ": {
        "country": "Pakistan", "keys": [],
        "add": ["Ahle Sunnat Wal Jamaat", "Ahl-e-Sunnat Wal Jamaat", "Ahle Sunnat-wal Jamaat",
                "Ahle Sunnat Wal Jammat", "Ahle Sunnat wal Jamaat", "ASWJ", "Sipah-e-Sahaba",
                "Sipah-e-Sahaba Pakistan", "Sipah-i-Sahaba", "Sipah-e-Sahaba Pakistan (SSP)",
                "SSP|cs,ctx"],
        "drop": [],
    },
    "Jaish al-Adl": {
        "country": "Pakistan", "keys": [],
        "add": ["Jaish al-Adl", "Jaish al Adl", "Jaish-ul-Adl", "Jaish ul-Adl", "Jaish-al-Adl"],
        "drop": [],
    },
    "Ghazi Force": {"country": "Pakistan", "keys": [], "add": ["Ghazi Force"], "drop": []},
    "Northern Alliance": {
        "country": "Afghanistan", "keys": [],
        "add": ["Northern Alliance", "United Islamic Front for the Salvation of Afghanistan"],
        "drop": [],
    },
    "Lashkar-e-Khorasan": {"country": "Afghanistan", "keys": [],
                           "add": ["Lashkar-e-Khorasan", "Lashkar-i-Khorasan"], "drop": []},
    "Ansar-ul-Aseer": {"country": "Pakistan", "keys": [],
                       "add": ["Ansar-ul-Aseer", "Ansarul Aseer", "Ansar ul Aseer"], "drop": []},
    "Hamas": {"country": "", "keys": [], "add": ["Hamas"], "drop": []},
    "Hezbollah": {"country": "", "keys": [], "add": ["Hezbollah", "Hizbollah", "Hizbullah"],
                  "drop": []},
    "Houthis": {"country": "", "keys": [], "add": ["Houthis", "Houthi rebels", "Ansar Allah"],
                "drop": []},
    "Janjaweed": {"country": "", "keys": [], "add": ["Janjaweed"], "drop": []},
    "Hafiz Gul Bahadur group": {
        "country": "Pakistan",
        "keys": [],
        "add": ["Hafiz Gul Bahadur group", "Gul Bahadur group", "Hafiz Gul Bahadur faction"],
        "drop": [],
    },
}

# ----------------------------------------------------------------------------- forces

# No public gazetteer lists state forces: every row is curated. Canonical name -> (country,
# spellings with flags). Bare words ("police", "army") need a passage about Pakistan; the
# Afghan forces' names mean the republic's forces before the Taliban took Kabul on 15
# August 2021 and the Taliban's after — except the army's own names: after the takeover the
# news says "Afghan army", "Afghan special forces", "Afghan soldiers" and "Afghan troops"
# of the republic's (veterans, commandos recruited by Russia, a report on how the US built
# the army; 25 of the 26 such mentions in the Af-Pak RSS items of September 2021–2023) and
# "Taliban forces" of the Taliban's. "Former Afghan …" is the republic's at any date.
TAKEOVER = "2021-08-15"
AFGHAN_FORCE_WORDS = ["Afghan forces", "Afghan security forces", "Afghan police",
                      "Afghan border forces", "Afghan border guards", "Afghan military"]
REPUBLIC_ARMY_WORDS = ["Afghan troops", "Afghan soldiers", "Afghan army", "Afghan Army",
                       "Afghanistan's army", "Afghan special forces"]
FORCES = {
    "Pakistan Army": ("Pakistan", [
        "Pakistan Army", "Pakistani Army", "Pakistan's army", "Pakistan Armed Forces",
        "Pakistani armed forces", "Pakistan's armed forces", "Pakistani military",
        "Pakistan's military", "Pakistan military", "Pakistani troops", "Pakistani soldiers",
        "Pakistani security forces", "Pakistan security forces", "Pakistani forces",
        "Special Services Group", "SSG|ctx", "ISPR", "Inter-Services Public Relations",
        "Chief of Army Staff|region", "COAS|cs,region", "army chief|in:Pakistan",
        "army|in:Pakistan", "soldiers|in:Pakistan", "soldier|in:Pakistan",
        "troops|in:Pakistan", "army post|in:Pakistan", "military operation|in:Pakistan",
        "military operations|in:Pakistan",
        "Corps Commander|region"]),
    "Pakistan Air Force": ("Pakistan", [
        "Pakistan Air Force", "Pakistani air force", "PAF|region", "Pakistani jets",
        "Pakistani warplanes", "Pakistani fighter jets", "Pakistani air strikes",
        "Pakistani airstrikes", "air force|in:Pakistan"]),
    "Pakistan Navy": ("Pakistan", [
        "Pakistan Navy", "Pakistani Navy", "Pakistan's navy", "navy|in:Pakistan"]),
    "Frontier Corps": ("Pakistan", ["Frontier Corps", "FC|ctx,region"]),
    "Frontier Constabulary": ("Pakistan", ["Frontier Constabulary"]),
    "ISI": ("Pakistan", ["Inter-Services Intelligence", "Inter-Service Intelligence",
                         "Inter Services Intelligence", "ISI|region"]),
    "police": ("Pakistan", [
        "police|in:Pakistan", "policemen|in:Pakistan", "policeman|in:Pakistan",
        "police officers|in:Pakistan", "police personnel|in:Pakistan",
        "Pakistani police", "Pakistan police", "Punjab Police", "Sindh Police",
        "Khyber Pakhtunkhwa Police", "KP Police", "Balochistan Police", "Islamabad Police",
        "Counter Terrorism Department", "Counter-Terrorism Department", "CTD|cs,region",
        "Elite Force|in:Pakistan", "Inspector General of Police|in:Pakistan",
        "IGP|cs,in:Pakistan", "SHO|cs,in:Pakistan", "CID|cs,in:Pakistan"]),
    "Rangers": ("Pakistan", ["Pakistan Rangers", "Sindh Rangers", "Punjab Rangers",
                             "Rangers|cs,in:Pakistan"]),
    "Levies": ("Pakistan", ["Balochistan Levies", "Levies Force", "Levies|cs,in:Pakistan"]),
    "Afghan National Army": ("Afghanistan", [
        "Afghan National Army", "ANA|ctx,region", "Afghan National Security Forces",
        "Afghan National Defense and Security Forces", "ANSF", "ANDSF",
        "Afghan National Police", "National Directorate of Security", "NDS|cs,ctx,region",
        f"police|in:Afghanistan,before:{TAKEOVER}", f"policemen|in:Afghanistan,before:{TAKEOVER}",
        ] + [f"{w}|before:{TAKEOVER}" for w in AFGHAN_FORCE_WORDS] + REPUBLIC_ARMY_WORDS
        + [f"former {w}" for w in AFGHAN_FORCE_WORDS]
        # After the takeover, "former government soldiers" in Afghanistan are the republic's.
        + [f"former {w}|in:Afghanistan,after:{TAKEOVER}" for w in [
            "government soldiers", "government forces", "government troops",
            "security forces", "security personnel", "soldiers"]]),
    "Taliban security forces": ("Afghanistan", [
        "Taliban security forces", "Taliban forces", "Taliban's forces", "Taliban troops",
        "Taliban soldiers", "Taliban border forces", "Taliban border guards",
        "Taliban police", "Afghan Taliban forces", "Islamic Emirate forces",
        f"police|in:Afghanistan,after:{TAKEOVER}", f"policemen|in:Afghanistan,after:{TAKEOVER}",
        ] + [f"{w}|after:{TAKEOVER}" for w in AFGHAN_FORCE_WORDS]),
    "ISAF / NATO": ("International", [
        "ISAF", "International Security Assistance Force", "NATO forces", "NATO troops",
        "NATO|ctx", "NATO-led forces", "Resolute Support", "coalition forces|region",
        "coalition troops|region", "coalition force|region"]),
    "US forces": ("United States", [
        "US forces", "U.S. forces", "US troops", "U.S. troops", "US military", "U.S. military",
        "American forces", "American troops", "US-led forces", "US-led international forces",
        "U.S.-led forces", "US special forces", "U.S. special forces", "US soldiers",
        "U.S. soldiers", "American soldiers", "US service members", "U.S. service members",
        "US Air Force", "U.S. Air Force", "US Navy", "U.S. Navy", "US commanders",
        "U.S. commanders", "American commanders", "American military",
        "US Marines", "U.S. Marines", "US Marine|cs", "U.S. Marine|cs", "Marine Corps", "Marine|cs,in:Afghanistan",
        "Marines|cs,in:Afghanistan", "US Army", "U.S. Army", "US drone",
        "U.S. drone", "American drone", "CIA|region", "Pentagon|ctx,region"]),
}

# ----------------------------------------------------------------------------- helpers

WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
AFPAK = re.compile(
    r"(?i)\b(pakistan\w*|afghan\w*|taliban|kabul|islamabad|peshawar|karachi|lahore|quetta|"
    r"waziristan|baloch\w*|baluch\w*|khyber|rawalpindi|kandahar|helmand)\b")


def ascii_fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def is_latin(s):
    return all(ord(c) < 0x250 or c in "’ʼ" for c in s)


def title_case_upper(s):
    """OFAC writes names in capitals; durand compares case-insensitively, but the table
    should read well: "TEHRIK-I-TALIBAN PAKISTAN" -> "Tehrik-I-Taliban Pakistan"."""
    if not s.isupper() or (" " not in s and len(s) <= 7):
        return s  # already mixed case, or an acronym (TTP, HQN, TTP-JUA)
    out = []
    for word in s.split(" "):
        parts = word.split("-")
        out.append("-".join(p.capitalize() if len(p) > 3 or "'" in p else p.lower()
                            if p in ("AL", "UL", "UD", "E", "I", "OF", "THE", "AND", "FI", "IN")
                            else p.capitalize() for p in parts))
    return " ".join(out)


def corpus_stats(path, names):
    """For each one-word name: documents with it capitalised, how many of those are Af-Pak
    news, and documents with it in lower case."""
    cap, capaf, lower = collections.Counter(), collections.Counter(), collections.Counter()
    lowered = {n.lower(): n for n in names if not n.isupper()}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = (d.get("title") or "") + " . " + (d.get("description") or "")
            words = set(WORD.findall(text))
            af = None
            for w in words:
                if w in names:
                    cap[w] += 1
                    if af is None:
                        af = bool(AFPAK.search(text))
                    if af:
                        capaf[w] += 1
                elif w.islower() and w in lowered:
                    lower[lowered[w]] += 1
    return cap, capaf, lower


def squash(s):
    """Comparison key: no diacritics, case, spaces, hyphens or apostrophes."""
    return re.sub(r"[\s\-'’]", "", ascii_fold(s).lower())


def used_in_afpak_news(alias, stats, at_least=2):
    return stats is not None and stats[1][ascii_fold(alias)] >= at_least


def stat_flags(name, stats, default_region, by_region=True):
    """cs / ctx / region for a one-word name from how the news uses it; very short names
    always need a cue. `by_region` also flags names mostly seen outside Af-Pak news (right
    for places — Hyderabad, Farah — wrong for groups, which are the same group anywhere)."""
    flags = set()
    letters = sum(ch.isalpha() for ch in name)
    if letters <= 4 and not name.isupper():
        flags.add("ctx")
    if stats is None or " " in name or "-" in name:
        return flags
    name = ascii_fold(name)
    cap, capaf, lower = stats
    c, l = cap[name], lower[name]
    ratio = capaf[name] / c if c else 0.0
    if l >= 3:
        flags.add("cs")
        if l >= c:
            flags.add("ctx")
    if not by_region:
        return flags
    if c >= 8 and ratio < 0.3:
        flags |= {"ctx", "region"}
    elif default_region and not (c >= 5 and ratio >= 0.8):
        flags.add("region")
    elif c >= 8 and ratio < 0.8:
        flags.add("region")
    return flags


def split_flags(alias):
    if "|" in alias:
        a, f = alias.split("|", 1)
        return a, set(f.split(","))
    return alias, set()


def clean_place(name):
    """'North Wazīristān District' -> 'North Wazīristān'; 'Bājaur Agency' -> 'Bājaur'."""
    name = re.sub(r"\s+(District|Agency|Tribal Area|Protected Area)$", "", name).strip()
    return name


def close_spelling(a, b):
    return SequenceMatcher(None, ascii_fold(a).lower(), ascii_fold(b).lower()).ratio() >= 0.8


# ----------------------------------------------------------------------------- build

def build_places(data, stats):
    admin = list(csv.DictReader(open(os.path.join(data, "03_gazetteers/af_pk_admin_geonames.csv"),
                                     encoding="utf-8")))
    country_of = {"AF": "Afghanistan", "PK": "Pakistan"}
    code_to_province = {}
    for r in admin:
        if r["level"] == "ADM1":
            code_to_province[r["code"]] = PROVINCE_NAMES.get(r["name"], r["name"])
    rows = []  # (country, province, place, level, alias, flags, source)

    def add(country, province, place, level, alias, flags=frozenset(), source="curated"):
        alias = alias.strip()
        if len(alias) < 3 and "cs" not in flags:
            return
        if alias in DROP_PLACE_ALIASES:
            return
        rows.append((country, province, place, level, alias, set(flags), {source}))

    for r in admin:
        country = country_of[r["country"]]
        province = code_to_province[r["admin1_code"]]
        if r["level"] == "ADM1":
            for alias in sorted({r["name"], r["asciiname"], province}):
                add(country, province, province, "province", alias, source="geonames:adm1")
            for extra in PROVINCE_ALIASES.get(province, []):
                alias, flags = split_flags(extra)
                add(country, province, province, "province", alias, flags)
        else:
            place = clean_place(r["asciiname"])
            for alias in sorted({clean_place(r["name"]), place}):
                add(country, province, place, "district", alias, source="geonames:adm2")

    cities = csv.DictReader(open(os.path.join(data, "03_gazetteers/geonames/cities15000_AF_PK.tsv"),
                                 encoding="utf-8"), delimiter="\t")
    for r in cities:
        code = f'{r["country_code"]}.{r["admin1_code"]}'
        province = code_to_province.get(code)
        if province is None:
            continue
        country = country_of[r["country_code"]]
        place = r["asciiname"]
        aliases = {r["name"], r["asciiname"]}
        for alt in r["alternatenames"].split(","):
            alt = alt.strip()
            # Other alphabets' transliterations are mostly noise (Lohri for Rohri, Qabala for
            # Qabula): keep a spelling that only differs in diacritics or spacing, or one the
            # news actually uses in Af-Pak stories.
            if not alt or not is_latin(alt) or alt.isupper() or not alt[0].isupper():
                continue
            if squash(alt) == squash(place) or (
                    close_spelling(alt, place) and used_in_afpak_news(alt, stats)):
                aliases.add(alt)
        for alias in sorted(aliases):  # a set: sorted, so the tables do not depend on hashing
            add(country, province, place, "city", alias, source="geonames:city")

    for country, province, place, level, aliases in EXTRA_PLACES:
        for extra in aliases:
            alias, flags = split_flags(extra)
            add(country, province, place, level, alias, flags)

    # One alias, one province: a name found in two provinces is dropped (Kohistan, Dand …).
    provinces_of = collections.defaultdict(set)
    for country, province, place, level, alias, _, _ in rows:
        provinces_of[ascii_fold(alias).lower()].add((country, province))
    out = {}
    for country, province, place, level, alias, flags, source in rows:
        key = ascii_fold(alias).lower()
        if len(provinces_of[key]) > 1:
            continue
        flags = set(flags) | PLACE_FLAGS.get(alias, set())
        if "capital" not in flags:
            flags |= stat_flags(alias, stats, default_region=(level != "province"))
        # The most specific place wins for an alias shared by a district and its city.
        rank = {"province": 0, "region": 1, "district": 2, "city": 3}[level]
        prev = out.get(key)
        if prev is None or rank < prev[0]:
            out[key] = (rank, (country, province, place, level, alias, flags, set(source)))
        elif rank == prev[0]:
            row = prev[1]
            row[5].update(flags)
            row[6].update(source)
            # Same name spelled with and without diacritics: show the plain one.
            if alias == ascii_fold(alias) and row[4] != ascii_fold(row[4]):
                out[key] = (rank, row[:4] + (alias, row[5], row[6]))
    return sorted((v[1] for v in out.values()), key=lambda r: (r[0], r[1], r[3] != "province", r[2], r[4]))


def build_within(data, places):
    """(country, province, town, district) for every town of the place table that lies in
    one of its districts: from GeoNames' admin2 code of each city, and CURATED_WITHIN."""
    admin = list(csv.DictReader(open(os.path.join(data, "03_gazetteers/af_pk_admin_geonames.csv"),
                                     encoding="utf-8")))
    district_of_code = {r["code"]: clean_place(r["asciiname"]) for r in admin if r["level"] == "ADM2"}
    districts = {(c, p, pl) for c, p, pl, lv, *_ in places if lv == "district"}
    towns = {(c, p, pl) for c, p, pl, lv, *_ in places if lv in ("city", "region")}
    within = {}
    cities = csv.DictReader(open(os.path.join(data, "03_gazetteers/geonames/cities15000_AF_PK.tsv"),
                                 encoding="utf-8"), delimiter="\t")
    for r in cities:
        code = f'{r["country_code"]}.{r["admin1_code"]}.{r["admin2_code"]}'
        district = district_of_code.get(code)
        for c, p, pl in towns:
            if pl == r["asciiname"] and district and district != pl and (c, p, district) in districts:
                within[(c, p, pl)] = district
    for c, p, pl in towns:
        district = CURATED_WITHIN.get(pl)
        if district is not None:
            assert (c, p, district) in districts, (pl, district)
            within[(c, p, pl)] = district
    return sorted((c, p, pl, d) for (c, p, pl), d in within.items())


def build_groups(data, stats):
    rows = list(csv.DictReader(open(os.path.join(data, "04_armed_groups/af_pk_armed_groups_aliases.csv"),
                                    encoding="utf-8")))
    by_key = collections.defaultdict(list)
    for r in rows:
        by_key[r["group_key"]].append(r["alias"])
    out = []
    seen = {}
    for group, spec in GROUPS.items():
        drop = {d.lower() for d in spec["drop"]}
        aliases = []
        for key in spec["keys"]:
            source = key.split(":")[0].lower()
            for a in by_key.get(key, []):
                a = re.sub(r"\s*\([A-Z\-]+\)$", "", a).strip()  # "… PAKISTAN (TTP)"
                if a.lower() in drop or not is_latin(a):
                    continue
                aliases.append((title_case_upper(a), set(), source))
        for extra in spec["add"]:
            alias, flags = split_flags(extra)
            aliases.append((alias, flags, "curated"))
        for alias, flags, source in aliases:
            key = ascii_fold(alias).lower().replace("’", "'")
            if key in seen and seen[key][0] != group:
                print(f"alias {alias!r} claimed by {seen[key][0]} and {group}; kept the first",
                      file=sys.stderr)
                continue
            if key in seen:
                seen[key][1].update(flags)
                seen[key][2].add(source)
                continue
            # "-stats": a curated decision the news statistics must not override.
            if "-stats" in flags:
                flags = set(flags) - {"-stats"}
            else:
                flags = set(flags) | stat_flags(alias, stats, default_region=False,
                                                 by_region=False)
            if alias.isupper() and len(alias) <= 2:
                flags |= {"cs", "ctx"}
            seen[key] = (group, flags, {source})
            out.append((group, spec.get("country", ""), alias, flags, seen[key][2]))
    return out


def build_forces():
    out = []
    for force, (country, aliases) in FORCES.items():
        for extra in aliases:
            alias, flags = split_flags(extra)
            out.append((force, country, alias, flags, {"curated"}))
    return out


def write_tsv(path, header, comment, rows):
    with open(path, "w", encoding="utf-8") as f:
        for line in comment:
            f.write(f"# {line}\n" if line else "#\n")
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../shared/data"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../src/tag/data"))
    ap.add_argument("--no-stats", action="store_true", help="skip the news-corpus statistics")
    args = ap.parse_args()

    rss = os.path.join(args.data, "01_news_rss2023/rss2023_news_en.jsonl.gz")
    stats = None
    if not args.no_stats and os.path.exists(rss):
        names = set()
        for spec in GROUPS.values():
            names.update(split_flags(a)[0] for a in spec["add"])
        admin = csv.DictReader(open(os.path.join(args.data, "03_gazetteers/af_pk_admin_geonames.csv"),
                                    encoding="utf-8"))
        for r in admin:
            names.add(clean_place(r["asciiname"]))
            names.add(clean_place(r["name"]))
        for r in csv.DictReader(open(os.path.join(args.data, "03_gazetteers/geonames/cities15000_AF_PK.tsv"),
                                     encoding="utf-8"), delimiter="\t"):
            names.add(r["asciiname"])
            names.update(a for a in r["alternatenames"].split(",") if is_latin(a))
        for extras in PROVINCE_ALIASES.values():
            names.update(split_flags(a)[0] for a in extras)
        names = {ascii_fold(n) for n in names if n and " " not in n}
        print(f"reading {rss} for name statistics…", file=sys.stderr)
        stats = corpus_stats(rss, names)

    os.makedirs(args.out, exist_ok=True)
    places = build_places(args.data, stats)
    write_tsv(
        os.path.join(args.out, "places.tsv"),
        ["country", "province", "place", "level", "alias", "flags", "source"],
        ["durand place gazetteer: admin1 provinces of Afghanistan and Pakistan, their districts",
         "(former tribal agencies included, mapped to their current province) and cities.",
         "Generated by scripts/build_tables.py from GeoNames (https://www.geonames.org, CC BY 4.0);",
         "edit the script, not this file. Flags: cs exact case; ctx needs a local cue",
         "(\"in Tank\", \"Tank district\"); region needs a document about Pakistan or Afghanistan;",
         "capital: a place unless it stands for its government; part: the name of a region within",
         "its unit, which a filter by it stands for whole. See the script for every flag."],
        [(c, p, pl, lv, a, ",".join(sorted(f)), "+".join(sorted(src)))
         for c, p, pl, lv, a, f, src in places],
    )
    within = build_within(args.data, places)
    write_tsv(
        os.path.join(args.out, "within.tsv"),
        ["country", "province", "place", "within"],
        ["durand place containment: the district each town of places.tsv lies in, so that",
         "reports naming the town and reports naming its district can be one incident.",
         "Generated by scripts/build_tables.py from GeoNames' admin2 codes (CC BY 4.0) and the",
         "curated towns in the script; edit the script, not this file."],
        within,
    )
    groups = build_groups(args.data, stats)
    write_tsv(
        os.path.join(args.out, "groups.tsv"),
        ["group", "country", "alias", "flags", "source"],
        ["durand armed-group aliases: canonical short names and their spellings.",
         "Generated by scripts/build_tables.py from the OFAC SDN list (US Treasury, public domain)",
         "and the UCDP Actor Dataset v22.1 (Uppsala Conflict Data Program, CC BY 4.0), plus the",
         "curated spellings in the script; edit the script, not this file.",
         "Flags: cs exact case; ctx needs a cue (\"IS militants\"); region needs a document about",
         "Pakistan or Afghanistan; defer:G means G where the text is about G (bare \"Taliban\");",
         "local:G means G in a passage placed in Afghanistan or Pakistan. country is the group's home."],
        [(g, c, a, ",".join(sorted(f)), "+".join(sorted(src))) for g, c, a, f, src in groups],
    )
    forces = build_forces()
    write_tsv(
        os.path.join(args.out, "forces.tsv"),
        ["force", "country", "alias", "flags", "source"],
        ["durand state-force aliases, curated in scripts/build_tables.py (no public gazetteer",
         "lists them); edit the script, not this file. Flags as in groups.tsv, and in:C (only in",
         "a passage about country C), before:D / after:D (only in documents dated so)."],
        [(f, c, a, ",".join(sorted(fl)), "+".join(sorted(src))) for f, c, a, fl, src in forces],
    )
    print(f"wrote {len(places)} place aliases, {len(within)} towns in districts, {len(groups)} group aliases, "
          f"{len(forces)} force aliases", file=sys.stderr)


if __name__ == "__main__":
    main()
