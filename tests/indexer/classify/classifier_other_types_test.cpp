// Music, audiobooks, ebooks, comics, software, games, images, archives, adult
// content and unknowns, asserted field by field; file lists where the type
// depends on them.
#include <gtest/gtest.h>

#include "tests/indexer/classify/case_table.hpp"

namespace magnetar::indexer::classify::testing {
namespace {

constexpr auto kMusic = ContentType::kAudioMusic;
constexpr auto kAudiobook = ContentType::kAudiobook;
constexpr auto kEbook = ContentType::kEbook;
constexpr auto kComic = ContentType::kComic;
constexpr auto kSoftware = ContentType::kSoftware;
constexpr auto kGame = ContentType::kGame;
constexpr auto kImage = ContentType::kImage;
constexpr auto kArchive = ContentType::kArchive;
constexpr auto kXxx = ContentType::kXxx;
constexpr auto kUnknown = ContentType::kUnknown;

const std::vector<File> kAlbumMp3 = {{"01 - Track One.mp3", 9000000},
                                     {"02 - Track Two.mp3", 8000000},
                                     {"03 - Track Three.mp3", 10000000},
                                     {"cover.jpg", 200000}};
const std::vector<File> kAlbumFlac = {{"CD1/01. Intro.flac", 30000000},
                                      {"CD1/02. Song.flac", 35000000},
                                      {"CD1/album.cue", 2000},
                                      {"CD1/album.log", 4000},
                                      {"Scans/front.jpg", 3000000}};

const std::vector<Case> kMusicCases = {
    {.name = "Artist - Album (2019) [FLAC 24-96]",
     .type = kMusic,
     .title = "Artist - Album",
     .year = 2019,
     .audio = "FLAC",
     .artist = "Artist",
     .album = "Album",
     .bitrate = "24-96"},
    {.name = "Pink Floyd - The Dark Side of the Moon (1973) [MP3 320]",
     .type = kMusic,
     .title = "Pink Floyd - The Dark Side of the Moon",
     .year = 1973,
     .audio = "MP3",
     .artist = "Pink Floyd",
     .album = "The Dark Side of the Moon",
     .bitrate = "320kbps"},
    {.name = "Radiohead - OK Computer (1997) [FLAC]",
     .type = kMusic,
     .year = 1997,
     .audio = "FLAC",
     .artist = "Radiohead",
     .album = "OK Computer"},
    {.name = "Taylor Swift - Midnights (2022) [24Bit-48kHz] FLAC [PMEDIA]",
     .type = kMusic,
     .year = 2022,
     .audio = "FLAC",
     .artist = "Taylor Swift",
     .album = "Midnights",
     .bitrate = "24-48"},
    {.name = "Daft Punk - Random Access Memories (2013) MP3 320kbps",
     .type = kMusic,
     .year = 2013,
     .audio = "MP3",
     .artist = "Daft Punk",
     .album = "Random Access Memories",
     .bitrate = "320kbps"},
    {.name = "Metallica - Discography (1983-2016) [MP3 320]",
     .type = kMusic,
     .year = 1983,
     .audio = "MP3",
     .artist = "Metallica",
     .album = "Discography"},
    {.name = "The Beatles - Abbey Road (1969) [2019 Remaster] [24-96]",
     .type = kMusic,
     .year = 1969,
     .artist = "The Beatles",
     .album = "Abbey Road",
     .bitrate = "24-96"},
    {.name = "Miles Davis - Kind of Blue (1959) [Vinyl Rip 24-192]",
     .type = kMusic,
     .year = 1959,
     .artist = "Miles Davis",
     .album = "Kind of Blue",
     .bitrate = "24-192"},
    {.name = "Kendrick Lamar - DAMN. (2017) [V0]",
     .type = kMusic,
     .year = 2017,
     .artist = "Kendrick Lamar",
     .bitrate = "V0"},
    {.name = "Adele - 30 (2021) Mp3 320kbps [PMEDIA]",
     .type = kMusic,
     .year = 2021,
     .artist = "Adele",
     .album = "30",
     .bitrate = "320kbps"},
    {.name = "VA - Now That's What I Call Music! 100 (2018) MP3",
     .type = kMusic,
     .year = 2018,
     .audio = "MP3"},
    {.name = "Interstellar (Original Motion Picture Soundtrack) (2014) [FLAC]",
     .type = kMusic,
     .year = 2014,
     .audio = "FLAC"},
    {.name = "Billboard Hot 100 Singles Chart 04.11.2023 MP3", .type = kMusic, .audio = "MP3"},
    {.name = "Bach - The Complete Organ Works (Hurford) [FLAC]", .type = kMusic, .audio = "FLAC"},
    {.name = "Nirvana - Nevermind",
     .type = kMusic,
     .title = "Nirvana - Nevermind",
     .artist = "Nirvana",
     .album = "Nevermind",
     .files = kAlbumMp3},
    {.name = "Led Zeppelin - IV (1971)",
     .type = kMusic,
     .year = 1971,
     .artist = "Led Zeppelin",
     .album = "IV",
     .files = kAlbumFlac},
    {.name = "Some Band Live at Wembley 2005", .type = kMusic, .files = kAlbumFlac},
    {.name = "Eminem - The Eminem Show (2002) [FLAC] {Expanded Edition}",
     .type = kMusic,
     .year = 2002,
     .audio = "FLAC",
     .artist = "Eminem"},
    {.name = "Beyonce - Renaissance (2022) [WEB FLAC]",
     .type = kMusic,
     .year = 2022,
     .artist = "Beyonce"},
    {.name = "Hans Zimmer - Dune (Original Motion Picture Soundtrack) (2021) [24Bit-44.1kHz] FLAC",
     .type = kMusic,
     .year = 2021,
     .audio = "FLAC",
     .artist = "Hans Zimmer"},
    {.name = "Mozart - Complete Works [MP3-256]", .type = kMusic, .audio = "MP3"},
    {.name = "Rammstein - Zeit (2022) [CD FLAC]",
     .type = kMusic,
     .year = 2022,
     .audio = "FLAC",
     .artist = "Rammstein"},
    {.name = "100 Greatest 80s Songs (2020) Mp3 320kbps",
     .type = kMusic,
     .year = 2020,
     .bitrate = "320kbps"},
    {.name = "Jazz Classics Collection",
     .type = kMusic,
     .files = {{"Disc 1/01.ogg", 5000000},
               {"Disc 1/02.ogg", 5000000},
               {"Disc 2/01.opus", 4000000}}},
    {.name = "Song.mp3", .type = kMusic, .title = "Song"},
    {.name = "Artist - Single Title.flac",
     .type = kMusic,
     .artist = "Artist",
     .album = "Single Title"},
};

const std::vector<Case> kAudiobookCases = {
    {.name = "Stephen King - The Stand (Unabridged) [Audiobook]",
     .type = kAudiobook,
     .title = "Stephen King - The Stand"},
    {.name = "Brandon Sanderson - The Way of Kings (Audiobook) [M4B]",
     .type = kAudiobook,
     .title = "Brandon Sanderson - The Way of Kings"},
    {.name = "J.R.R. Tolkien - The Hobbit - Read by Andy Serkis",
     .type = kAudiobook,
     .files = {{"The Hobbit.m4b", 600000000}}},
    {.name = "Project Hail Mary by Andy Weir",
     .type = kAudiobook,
     .files = {{"Project Hail Mary.m4b", 900000000}, {"cover.jpg", 100000}}},
    {.name = "Dune - Frank Herbert [Unabridged] MP3",
     .type = kAudiobook,
     .title = "Dune - Frank Herbert"},
    {.name = "Harry Potter and the Philosopher's Stone - Stephen Fry - Audiobook",
     .type = kAudiobook},
    {.name = "George Orwell - 1984 (Audiobook, Narrated by Simon Prebble)", .type = kAudiobook},
    {.name = "Sapiens A Brief History of Humankind Audible Audiobook", .type = kAudiobook},
    {.name = "Der Herr der Ringe - Hörbuch", .type = kAudiobook},
    {.name = "The Hitchhiker's Guide to the Galaxy BBC Radio Full Cast Dramatisation",
     .type = kAudiobook,
     .files = {{"Part 1.mp3", 30000000}, {"Part 2.mp3", 30000000}}},
    {.name = "Atomic Habits (Unabridged)",
     .type = kAudiobook,
     .files = {{"Chapter 01.mp3", 20000000},
               {"Chapter 02.mp3", 20000000},
               {"Chapter 03.mp3", 20000000}}},
    {.name = "Agatha Christie - Murder on the Orient Express [Abridged]", .type = kAudiobook},
};

const std::vector<Case> kEbookCases = {
    {.name = "Clean Code - Robert C. Martin (2008) [PDF]", .type = kEbook, .year = 2008},
    {.name = "Python Crash Course, 3rd Edition (2023) [EPUB]", .type = kEbook, .year = 2023},
    {.name = "Brandon Sanderson - Mistborn Trilogy (epub, mobi)", .type = kEbook},
    {.name = "The Pragmatic Programmer 20th Anniversary Edition.pdf", .type = kEbook},
    {.name = "Stephen King - Collection of 60 Novels (EPUB)", .type = kEbook},
    {.name = "National Geographic UK - December 2023",
     .type = kEbook,
     .files = {{"National Geographic UK - December 2023.pdf", 60000000}}},
    {.name = "The Economist - 2024-01-06 (True PDF)", .type = kEbook},
    {.name = "Calibre Library 2000 eBooks", .type = kEbook},
    {.name = "O'Reilly Learning Rust (2024)",
     .type = kEbook,
     .year = 2024,
     .files = {{"learning-rust.epub", 5000000}, {"learning-rust.pdf", 12000000}}},
    {.name = "Andrzej Sapkowski - The Witcher Series",
     .type = kEbook,
     .files = {{"1 - The Last Wish.azw3", 800000},
               {"2 - Sword of Destiny.azw3", 900000},
               {"3 - Blood of Elves.mobi", 700000}}},
    {.name = "Leo Tolstoy - War and Peace.fb2", .type = kEbook},
    {.name = "Mathematics for Machine Learning.djvu", .type = kEbook},
    {.name = "Packt Mastering Kubernetes 4th Edition",
     .type = kEbook,
     .files = {{"Mastering_Kubernetes.pdf", 25000000}, {"code.zip", 3000000}}},
    {.name = "Lolita - Vladimir Nabokov (epub)",
     .type = kEbook,
     .title = "Lolita - Vladimir Nabokov"},
};

const std::vector<Case> kComicCases = {
    {.name = "Batman 001 (2016) (Digital) (Zone-Empire)",
     .type = kComic,
     .year = 2016,
     .files = {{"Batman 001 (2016) (Digital) (Zone-Empire).cbr", 40000000}}},
    {.name = "Saga Vol. 01 (2012) (Digital) (F) (Empire).cbz", .type = kComic, .year = 2012},
    {.name = "The Walking Dead Compendium (2009-2019) (Digital) (Comic)", .type = kComic},
    {.name = "One Piece v01-v100 (Digital) (danke-Empire)",
     .type = kComic,
     .files = {{"One Piece v01.cbz", 50000000}, {"One Piece v02.cbz", 50000000}}},
    {.name = "Spider-Man Omnibus (2020)",
     .type = kComic,
     .year = 2020,
     .files = {{"Spider-Man Omnibus 01.cbr", 80000000}, {"Spider-Man Omnibus 02.cbr", 80000000}}},
    {.name = "Berserk Deluxe Edition Manga",
     .type = kComic,
     .files = {{"Berserk v01.cbz", 90000000}, {"Berserk v02.cbz", 90000000}}},
    {.name = "Weekly Comics 2024.01.10 (Digital)",
     .type = kComic,
     .files = {{"Title A 012 (2024).cbz", 30000000}, {"Title B 003 (2024).cbr", 30000000}}},
    {.name = "Asterix Collection (French) cbr", .type = kComic},
};

const std::vector<Case> kSoftwareCases = {
    {.name = "Adobe Photoshop 2024 v25.0 x64 Multilingual",
     .type = kSoftware,
     .title = "Adobe Photoshop 2024",
     .languages = "multi",
     .version = "25.0"},
    {.name = "Windows 11 Pro 23H2 x64 Multilingual",
     .type = kSoftware,
     .title = "Windows 11 Pro 23H2",
     .platform = "Windows"},
    {.name = "ubuntu-22.04.3-desktop-amd64.iso", .type = kSoftware, .platform = "Linux"},
    {.name = "Microsoft Office 2021 Pro Plus v2312 x64 Multilanguage",
     .type = kSoftware,
     .title = "Microsoft Office 2021 Pro Plus",
     .version = "2312"},
    {.name = "Adobe Premiere Pro 2024 v24.1.0.85 (x64) Multilingual",
     .type = kSoftware,
     .title = "Adobe Premiere Pro 2024",
     .version = "24.1.0.85"},
    {.name = "JetBrains IntelliJ IDEA Ultimate 2023.3.2 (x64)", .type = kSoftware},
    {.name = "VMware Workstation Pro 17.5.0 Build 22583795 + Keygen", .type = kSoftware},
    {.name = "WinRAR 6.24 Final x86 x64 + Crack", .type = kSoftware},
    {.name = "Internet Download Manager 6.42 Build 2 + Patch", .type = kSoftware, .version = "2"},
    {.name = "Autodesk AutoCAD 2024.1.2 x64", .type = kSoftware},
    {.name = "CCleaner Professional 6.19.10858 Portable", .type = kSoftware},
    {.name = "Malwarebytes Premium v4.6.8 Multilingual", .type = kSoftware, .version = "4.6.8"},
    {.name = "Final Cut Pro 10.7.1 macOS", .type = kSoftware, .platform = "macOS"},
    {.name = "Logic Pro X 10.8.1 MacOSX", .type = kSoftware, .platform = "macOS"},
    {.name = "Native Instruments Kontakt 7 v7.8.0 WiN",
     .type = kSoftware,
     .platform = "Windows",
     .version = "7.8.0"},
    {.name = "Xfer Records Serum v1.363 x64 VST VST3", .type = kSoftware},
    {.name = "Spotify Premium v8.8.96 Mod APK", .type = kSoftware, .platform = "Android"},
    {.name = "WhatsApp Messenger 2.24.1.6 Android", .type = kSoftware, .platform = "Android"},
    {.name = "Kali Linux 2023.4 amd64 ISO", .type = kSoftware, .platform = "Linux"},
    {.name = "debian-12.4.0-amd64-netinst.iso", .type = kSoftware, .platform = "Linux"},
    {.name = "Fedora-Workstation-Live-x86_64-39-1.5.iso", .type = kSoftware, .platform = "Linux"},
    {.name = "archlinux-2024.01.01-x86_64.iso", .type = kSoftware},
    {.name = "Windows 10 Enterprise LTSC 2021 x64 MSDN", .type = kSoftware, .platform = "Windows"},
    {.name = "Setup Tool 1.0",
     .type = kSoftware,
     .files = {{"setup.exe", 50000000}, {"data.cab", 200000000}, {"readme.txt", 1000}}},
    {.name = "SomeApp", .type = kSoftware, .files = {{"SomeApp.dmg", 120000000}}},
    {.name = "SomeTool_2.3.1",
     .type = kSoftware,
     .files = {{"sometool_2.3.1_amd64.deb", 3000000}, {"sometool-2.3.1.x86_64.rpm", 3000000}}},
    {.name = "Blender 4.0.2 Windows x64", .type = kSoftware, .platform = "Windows"},
    {.name = "DaVinci Resolve Studio 18.6.4 (x64) Multilingual", .type = kSoftware},
    {.name = "Topaz Video AI 4.1.0 (x64)", .type = kSoftware},
    {.name = "Office 2019 Professional Plus",
     .type = kSoftware,
     .files = {{"Office 2019/setup.exe", 7000000},
               {"Office 2019/office/data/stream.x64.dat", 3000000000}}},
    {.name = "Driver Booster Pro 11.2.0.46 Multilingual + Key", .type = kSoftware},
    {.name = "Photoshop Plugins Collection",
     .type = kSoftware,
     .files = {{"plugin1.8bf", 2000000}, {"Installer.exe", 40000000}}},
};

const std::vector<Case> kGameCases = {
    {.name = "Elden Ring [FitGirl Repack]",
     .type = kGame,
     .title = "Elden Ring",
     .group = "FitGirl"},
    {.name = "Hogwarts.Legacy-EMPRESS",
     .type = kGame,
     .title = "Hogwarts Legacy",
     .group = "EMPRESS"},
    {.name = "Cyberpunk 2077 v2.1 [GOG]",
     .type = kGame,
     .title = "Cyberpunk 2077",
     .group = "GOG",
     .version = "2.1"},
    {.name = "Baldurs.Gate.3.v4.1.1.3622274-GOG",
     .type = kGame,
     .title = "Baldurs Gate 3",
     .group = "GOG"},
    {.name = "Red.Dead.Redemption.2.Build.1436.28-CODEX",
     .type = kGame,
     .title = "Red Dead Redemption 2",
     .group = "CODEX"},
    {.name = "Starfield-RUNE", .type = kGame, .title = "Starfield", .group = "RUNE"},
    {.name = "Hades.II.Early.Access-TENOKE", .type = kGame, .title = "Hades II", .group = "TENOKE"},
    {.name = "Sekiro.Shadows.Die.Twice-CODEX", .type = kGame, .group = "CODEX"},
    {.name = "Grand Theft Auto V [DODI Repack]",
     .type = kGame,
     .title = "Grand Theft Auto V",
     .group = "DODI"},
    {.name = "The Witcher 3 Wild Hunt - Game of the Year Edition [GOG]", .type = kGame},
    {.name = "Stardew Valley v1.6.3 [GOG]",
     .type = kGame,
     .title = "Stardew Valley",
     .version = "1.6.3"},
    {.name = "Palworld v0.1.4.0 by Pioneer",
     .type = kGame,
     .files = {{"Palworld.exe", 300000000}, {"Pal/Content/Paks/Pal-Windows.pak", 15000000000}}},
    {.name = "Half-Life 2 (Steam Rip)", .type = kGame, .title = "Half-Life 2"},
    {.name = "Call.of.Duty.Modern.Warfare.III-SKIDROW", .type = kGame, .group = "SKIDROW"},
    {.name = "Spider-Man.2.PS5-DUPLEX", .type = kGame, .platform = "PS5"},
    {.name = "The Legend of Zelda Tears of the Kingdom [NSP]", .type = kGame, .platform = "Switch"},
    {.name = "Super Mario Bros Wonder NSW-VENOM", .type = kGame, .platform = "Switch"},
    {.name = "God of War Ragnarok PS4 PKG", .type = kGame, .platform = "PS4"},
    {.name = "Halo 3 XBOX360-COMPLEX", .type = kGame, .platform = "Xbox"},
    {.name = "Pokemon Emerald (USA).gba", .type = kGame},
    {.name = "Crash Bandicoot (Europe) (En,Fr,De)",
     .type = kGame,
     .title = "Crash Bandicoot",
     .files = {{"Crash Bandicoot (Europe) (En,Fr,De).bin", 600000000},
               {"Crash Bandicoot (Europe).cue", 100}}},
    {.name = "Some Game (USA).iso", .type = kGame, .title = "Some Game"},
    {.name = "Nintendo 64 ROM Collection", .type = kGame},
    {.name = "Mario Kart Wii [WBFS]", .type = kGame, .platform = "Wii"},
    {.name = "Diablo IV - Deluxe Edition [FitGirl Repack]", .type = kGame, .group = "FitGirl"},
    {.name = "Fallout 4 GOTY (v1.10.163 + All DLCs) [ElAmigos]",
     .type = kGame,
     .group = "ElAmigos"},
    {.name = "Doom Eternal (2020) [PC Game]", .type = kGame, .year = 2020},
    {.name = "Minecraft Java Edition 1.20.4 Launcher",
     .type = kGame,
     .files = {{"Minecraft.exe", 5000000}, {"game/data.pak", 900000000}}},
    {.name = "Switch Game Pack",
     .type = kGame,
     .files = {{"game1.nsp", 5000000000}, {"game2.xci", 6000000000}}},
    {.name = "Doki Doki Literature Club Visual Novel", .type = kGame},
    {.name = "Counter-Strike 1.6 Portable Games", .type = kGame},
};

const std::vector<Case> kImageCases = {
    {.name = "4K Nature Wallpapers Pack 2023", .type = kImage},
    {.name = "Vacation Photos 2019",
     .type = kImage,
     .files = {{"IMG_0001.JPG", 4000000}, {"IMG_0002.JPG", 4100000}, {"IMG_0003.jpeg", 3900000}}},
    {.name = "RAW photos Canon",
     .type = kImage,
     .files = {{"DSC_0001.CR2", 25000000}, {"DSC_0002.CR2", 25000000}}},
    {.name = "Icons Pack 5000 PNG", .type = kImage},
    {.name = "Shutterstock Vectors Collection",
     .type = kImage,
     .files = {{"v1.eps", 20000000}, {"v1.jpg", 3000000}, {"v2.ai", 20000000}}},
    {.name = "Artbook - The Art of Studio Ghibli",
     .type = kImage,
     .files = {{"001.png", 9000000}, {"002.png", 9000000}, {"003.png", 9000000}}},
    {.name = "Screenshots", .type = kImage, .files = {{"a.webp", 300000}, {"b.webp", 300000}}},
};

const std::vector<Case> kArchiveCases = {
    {.name = "backup_2023", .type = kArchive, .files = {{"backup_2023.zip", 5000000000}}},
    {.name = "Project Files",
     .type = kArchive,
     .files = {{"part1.rar", 1000000000}, {"part2.rar", 1000000000}, {"part3.rar", 500000000}}},
    {.name = "data.7z", .type = kArchive},
    {.name = "dump.tar.gz", .type = kArchive},
    {.name = "random stuff",
     .type = kArchive,
     .files = {{"stuff.7z.001", 2000000000},
               {"stuff.7z.002", 2000000000},
               {"stuff.7z.003", 100000000}}},
    {.name = "Collection",
     .type = kArchive,
     .files = {{"a.zip", 300000000}, {"b.zip", 300000000}, {"readme.txt", 100}}},
};

const std::vector<Case> kXxxCases = {
    {.name = "Brazzers.23.05.01.Some.Performer.XXX.1080p.MP4-WRB", .type = kXxx},
    {.name = "[Brazzers] Some Performer - Scene Title (2023) 1080p", .type = kXxx},
    {.name = "Some.Performer.Scene.Name.XXX.2160p.MP4-GRP[XC]", .type = kXxx},
    {.name = "RealityKings - Scene Title 720p", .type = kXxx},
    {.name = "OnlyFans - SiteRip Pack", .type = kXxx},
    {.name = "JAV Uncensored ABC-123 1080p", .type = kXxx},
    {.name = "MetArt - Model - Set Name",
     .type = kXxx,
     .files = {{"001.jpg", 5000000}, {"002.jpg", 5000000}}},
    {.name = "Amateur Porn Compilation 2022 1080p", .type = kXxx},
    {.name = "Hentai Collection [Uncensored]", .type = kXxx},
    {.name = "Vixen.22.10.10.Performer.XXX.1080p.HEVC.x265.PRT", .type = kXxx},
    {.name = "Nude Photoshoot Collection",
     .type = kXxx,
     .files = {{"p1.jpg", 4000000}, {"p2.jpg", 4000000}}},
    {.name = "Private Collection XXX DVDRip", .type = kXxx},
};

const std::vector<Case> kUnknownCases = {
    {.name = "New folder", .type = kUnknown, .files = {{"file.dat", 1000}, {"other.bin2", 1000}}},
    {.name = "abc", .type = kUnknown},
    {.name = "", .type = kUnknown},
    {.name = "1234567", .type = kUnknown},
    {.name = "misc", .type = kUnknown, .files = {{"notes.txt", 1000}, {"data.csv", 2000}}},
    {.name = "untitled", .type = kUnknown, .files = {{"x.nfo", 100}}},
};

TEST(ClassifierOtherTypes, MusicNamesAndFilesParseFieldByField) {
  for (const Case& c : kMusicCases) check_case(c);
}

TEST(ClassifierOtherTypes, AudiobooksAreToldFromMusicByWordsAndM4b) {
  for (const Case& c : kAudiobookCases) check_case(c);
}

TEST(ClassifierOtherTypes, EbooksAreFoundByExtensionAndWords) {
  for (const Case& c : kEbookCases) check_case(c);
}

TEST(ClassifierOtherTypes, ComicsAreFoundByExtensionAndWords) {
  for (const Case& c : kComicCases) check_case(c);
}

TEST(ClassifierOtherTypes, SoftwareNamesParseFieldByField) {
  for (const Case& c : kSoftwareCases) check_case(c);
}

TEST(ClassifierOtherTypes, GamesAreFoundByGroupsPlatformsAndFiles) {
  for (const Case& c : kGameCases) check_case(c);
}

TEST(ClassifierOtherTypes, ImagesAreFoundByExtensionAndWords) {
  for (const Case& c : kImageCases) check_case(c);
}

TEST(ClassifierOtherTypes, ArchivesAreTorrentsOfOnlyArchives) {
  for (const Case& c : kArchiveCases) check_case(c);
}

TEST(ClassifierOtherTypes, AdultContentIsFoundByKeywords) {
  for (const Case& c : kXxxCases) check_case(c);
}

TEST(ClassifierOtherTypes, NamesWithoutEvidenceAreUnknown) {
  for (const Case& c : kUnknownCases) check_case(c);
}

}  // namespace
}  // namespace magnetar::indexer::classify::testing
