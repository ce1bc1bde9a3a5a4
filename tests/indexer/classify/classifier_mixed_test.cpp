// Names as they come off the DHT: site prefixes, non-Latin titles, p2p tags,
// scene music, packs and collections.
#include <gtest/gtest.h>

#include "tests/indexer/classify/case_table.hpp"

namespace magnetar::indexer::classify::testing {
namespace {

constexpr auto kMovie = ContentType::kVideoMovie;
constexpr auto kEpisode = ContentType::kVideoEpisode;
constexpr auto kMusic = ContentType::kAudioMusic;
constexpr auto kAudiobook = ContentType::kAudiobook;
constexpr auto kEbook = ContentType::kEbook;
constexpr auto kComic = ContentType::kComic;
constexpr auto kSoftware = ContentType::kSoftware;
constexpr auto kGame = ContentType::kGame;
constexpr auto kXxx = ContentType::kXxx;
constexpr auto kUnknown = ContentType::kUnknown;

const std::vector<Case> kMixed = {
    {.name = "[电影天堂www.dytt89.com]流浪地球2-2023_HD国语中字.mp4", .type = kMovie, .title = "流浪地球2", .year = 2023},
    {.name = "阳光电影www.ygdy8.com.奥本海默.2023.BD.1080P.中英双字.mkv", .type = kMovie, .title = "奥本海默", .year = 2023, .resolution = "1080p", .source = "BluRay"},
    {.name = "Мастер и Маргарита (2024) WEB-DL 1080p", .type = kMovie, .title = "Мастер и Маргарита", .year = 2024, .source = "WEB-DL"},
    {.name = "Слово пацана. Кровь на асфальте S01 (2023) WEB-DL 1080p", .type = kEpisode, .title = "Слово пацана Кровь на асфальте", .season = 1},
    {.name = "www.1TamilMV.ws - Leo (2023) Tamil HQ HDRip - 1080p - x264 - (DD+5.1 - 192Kbps & "
             "AAC) - 2.5GB - "
             "ESub.mkv", .type = kMovie, .title = "Leo", .year = 2023, .resolution = "1080p", .source = "HDRip", .languages = "ta"},
    {.name = "The Boys S04E05 1080p WEB H264-SuccessfulCrab[TGx]", .type = kEpisode, .title = "The Boys", .season = 4, .episode = 5, .group = "SuccessfulCrab"},
    {.name = "House.of.the.Dragon.S02E08.1080p.WEB.H264-SuccessfulCrab[rarbg]", .type = kEpisode, .group = "SuccessfulCrab"},
    {.name = "Some Movie 2019 1080p BluRay x264 [ettv]", .type = kMovie, .title = "Some Movie", .group = "ettv"},
    {.name = "Some.Show.S01E01.480p.x264-mSD[eztv]", .type = kEpisode, .resolution = "480p", .group = "mSD"},
    {.name = "Civil War 2024 1080p HDTS x264 - 1XBET", .type = kMovie, .title = "Civil War", .source = "TS", .group = "1XBET"},
    {.name = "Barbie 2023 1080p WEB-DL x264 AAC - Pahe.in", .type = kMovie, .title = "Barbie", .group = "Pahe.in"},
    {.name = "Fallout.2024.S01E01.The.End.2160p.AMZN.WEB-DL.DDP5.1.Atmos.DV.HDR10Plus.H.265-FLUX", .type = kEpisode, .title = "Fallout", .year = 2024, .season = 1, .episode = 1, .flags = "dv,hdr10+"},
    {.name = "Avatar The Last Airbender (2024) Season 1 S01 (1080p NF WEB-DL x265 HEVC 10bit EAC3 "
             "5.1 Ghost)", .type = kEpisode, .title = "Avatar The Last Airbender", .year = 2024, .season = 1, .audio = "DD+"},
    {.name = "[Anime Time] Demon Slayer (Season 1-4 + Movies + OVA) [Dual Audio][1080p][HEVC 10bit "
             "x265][AAC]", .type = kEpisode, .title = "Demon Slayer", .season = 1, .season_end = 4, .group = "Anime Time"},
    {.name = "One Piece Episode 1089 English Subbed", .type = kEpisode, .title = "One Piece", .episode = 1089, .languages = "en", .flags = "subs"},
    {.name = "World War II in Colour (2009) - 13 Episodes", .type = kEpisode, .title = "World War II in Colour"},
    {.name = "Game of Thrones OST Season 1-8", .type = kMusic},
    {.name = "Metallica-72_Seasons-WEB-2023-ENRiCH", .type = kMusic, .year = 2023, .group = "ENRiCH"},
    {.name = "Artist-Album_Name-2CD-2019-GRP", .type = kMusic, .year = 2019, .group = "GRP"},
    {.name = "Drake - For All The Dogs (2023) Mp3 320kbps [PMEDIA] ⭐️", .type = kMusic, .year = 2023, .artist = "Drake", .album = "For All The Dogs", .bitrate = "320kbps"},
    {.name = "Eagles - Hotel California (1976) [24B-192kHz] FLAC", .type = kMusic, .year = 1976, .artist = "Eagles", .album = "Hotel California"},
    {.name = "Chopin - Nocturnes (Rubinstein) [MP3 V0]", .type = kMusic, .artist = "Chopin", .bitrate = "V0"},
    {.name = "Dune Messiah - Frank Herbert - 2007 - Audiobook - Unabridged", .type = kAudiobook, .title = "Dune Messiah - Frank Herbert", .year = 2007},
    {.name = "The Psychology of Money by Morgan Housel (audiobook)", .type = kAudiobook},
    {.name = "Scientific American - January 2024", .type = kEbook, .title = "Scientific American", .year = 2024},
    {.name = "The New Yorker - January 15, 2024", .type = kEbook, .title = "The New Yorker", .year = 2024},
    {.name = "Learning Python, 5th Edition.pdf", .type = kEbook, .title = "Learning Python, 5th Edition"},
    {.name = "Marvel Comics Week+ (01-03-2024)", .type = kComic},
    {.name = "Invincible Compendium v01 (2011) (Digital) (Glorith-HD)", .type = kComic, .year = 2011},
    {.name = "Microsoft Windows 10 Pro 22H2 Build 19045.3803 x64 Multilingual Preactivated", .type = kSoftware, .title = "Microsoft Windows 10 Pro 22H2", .platform = "Windows", .version = "19045.3803"},
    {.name = "Windows 7 Ultimate SP1 x86 x64", .type = kSoftware, .title = "Windows 7 Ultimate SP1", .platform = "Windows"},
    {.name = "Ableton Live 12 Suite v12.0.0 [MacOS]", .type = kSoftware, .title = "Ableton Live 12 Suite", .platform = "macOS", .version = "12.0.0"},
    {.name = "Linux Mint 21.3 Cinnamon 64-bit", .type = kSoftware, .platform = "Linux"},
    {.name = "Persona 3 Reload (v1.0.0.0 + DLC, MULTi10) [FitGirl Repack]", .type = kGame, .title = "Persona 3 Reload", .group = "FitGirl", .version = "1.0.0.0"},
    {.name = "Tekken.8.Ultimate.Edition.MULTi14-ElAmigos", .type = kGame, .group = "ElAmigos"},
    {.name = "Grand.Theft.Auto.San.Andreas.PROPER-RELOADED", .type = kGame, .title = "Grand Theft Auto San Andreas", .group = "RELOADED", .flags = "proper"},
    {.name = "The Sims 4 [v1.105] + All DLC", .type = kGame, .title = "The Sims 4", .version = "1.105"},
    {.name = "Repack Game", .type = kGame, .files = {{"setup.exe", 5000000}, {"fg-01.bin", 4000000000}, {"fg-02.bin", 4000000000}}},
    {.name = "TeamSkeet.24.01.15.Jane.Doe.Some.Title.XXX.1080p.HEVC.x265.PRT[XvX]", .type = kXxx, .title = "TeamSkeet"},
    {.name = "[OnlyFans] Jane Doe - Collection (2023)", .type = kXxx, .group = ""},
    {.name = "FC2-PPV-1234567", .type = kXxx},
    {.name = "Top Gear Series 22 Episode 3 720p", .type = kEpisode, .title = "Top Gear", .season = 22, .episode = 3},
    {.name = "Мир Дикого запада Сезон 4 Серия 2 1080p", .type = kEpisode, .title = "Мир Дикого запада", .season = 4, .episode = 2},
    {.name = "Game.Name.v1.2.3-P2P", .type = kGame, .title = "Game Name", .group = "P2P", .version = "1.2.3"},
    {.name = "Movie.2019.1080p.BluRay.DTS", .type = kMovie, .title = "Movie", .audio = "DTS"},
    {.name = "Linkin Park - Papercuts (Singles Collection 2000-2023) (2024) [FLAC]", .type = kMusic, .artist = "Linkin Park", .album = "Papercuts"},
    {.name = "Artist – Album (2019) FLAC", .type = kMusic, .year = 2019, .artist = "Artist", .album = "Album"},
    {.name = "Artist — Album [2019]", .type = kMusic, .year = 2019, .artist = "Artist", .album = "Album"},
    {.name = "[HorribleSubs] Show - 01-12 [1080p] (Batch)", .type = kEpisode, .title = "Show", .episode = 1, .episode_end = 12, .group = "HorribleSubs"},
    {.name = "Show.Name.2019.S01E01.iNTERNAL.720p.WEB.h264-KOGi", .type = kEpisode, .title = "Show Name", .year = 2019, .season = 1, .episode = 1, .group = "KOGi", .flags = "internal"},
    {.name = "Movie.Name.2019.MULTi.TRUEFRENCH.1080p.BluRay.x264-LOST", .type = kMovie, .title = "Movie Name", .group = "LOST", .languages = "multi,fr"},
    {.name = "Movie Name 2019 720p HDRip x264 [Dual Audio] [Hindi DD5.1 + English] - 1.2GB - ESub", .type = kMovie, .title = "Movie Name", .year = 2019, .source = "HDRip", .languages = "multi,hi,en"},
    {.name = "(Rock) Metallica - Discography (1983-2016) [MP3, 320 kbps]", .type = kMusic, .title = "Metallica - Discography", .year = 1983, .artist = "Metallica", .bitrate = "320kbps"},
    {.name = "(Progressive Rock) Pink Floyd - The Wall - 1979, FLAC (tracks+.cue), lossless", .type = kMusic, .title = "Pink Floyd - The Wall", .year = 1979, .artist = "Pink Floyd", .album = "The Wall"},
    {.name = "(500) Days of Summer (2009) 1080p BluRay x264", .type = kMovie, .title = "(500) Days of Summer", .year = 2009},
    {.name = "(Ebook) Stephen King - It (1986) [EPUB]", .type = kEbook, .title = "Stephen King - It", .year = 1986, .group = ""},
    {.name = "[Comics] Batman - The Long Halloween (1996-1997)", .type = kComic, .title = "Batman - The Long Halloween", .group = ""},
    {.name = "Elden Ring (2022) PC | RePack by FitGirl", .type = kGame, .title = "Elden Ring", .year = 2022, .group = "FitGirl", .platform = "Windows"},
    {.name = "Red Dead Redemption 2 (2019) PC | Лицензия", .type = kGame, .title = "Red Dead Redemption 2", .year = 2019},
    {.name = "Sony Vegas Pro 21.0 Build 208 RePack by KpoJIuK", .type = kSoftware, .title = "Sony Vegas Pro 21.0", .version = "208"},
    {.name = "backup-2023-12-01", .type = kUnknown},
    {.name = "Doom", .type = kUnknown},
};

// Folders whose type and attributes come from their files.
const std::vector<Case> kFolders = {
    {.name = "Inception (2010)", .type = kMovie, .title = "Inception", .year = 2010, .resolution = "1080p", .files = {{"Inception (2010)/Inception.2010.1080p.BluRay.x264.mkv", 9000000000},
               {"Inception (2010)/Sample/sample.mkv", 50000000},
               {"Inception (2010)/Subs/English.srt", 100000},
               {"Inception (2010)/inception.nfo", 3000}}},
    {.name = "Breaking Bad Season 2", .type = kEpisode, .title = "Breaking Bad", .season = 2, .files = {{"Breaking.Bad.S02E01.720p.mkv", 1000000000},
               {"Breaking.Bad.S02E02.720p.mkv", 1000000000},
               {"Breaking.Bad.S02E03.720p.mkv", 1000000000}}},
    {.name = "The Office", .type = kEpisode, .title = "The Office", .season = 3, .codec = "XviD", .files = {{"The Office 3x01 Gay Witch Hunt XviD.avi", 350000000},
               {"The Office 3x02 The Convention XviD.avi", 350000000}}},
    {.name = "Pink Floyd - Wish You Were Here (1975)", .type = kMusic, .year = 1975, .artist = "Pink Floyd", .files = {{"01 - Shine On You Crazy Diamond.flac", 150000000},
               {"02 - Welcome to the Machine.flac", 70000000},
               {"Scans/Front.jpg", 20000000},
               {"Scans/Back.jpg", 20000000},
               {"log.log", 5000}}},
    {.name = "Some Game", .type = kGame, .files = {{"Game.exe", 50000000},
               {"Engine/Binaries/core.dll", 30000000},
               {"Content/Paks/data-01.pak", 8000000000},
               {"Content/Paks/data-02.pak", 6000000000}}},
    {.name = "Programming Books Pack", .type = kEbook, .files = {{"a.pdf", 10000000}, {"b.epub", 3000000}, {"c.pdf", 20000000}, {"d.mobi", 2000000}}},
    {.name = "Some OS Installer", .type = kSoftware, .files = {{"os-installer.iso", 4000000000}}},
    {.name = "Manga Title Vol 01", .type = kComic, .files = {{"Manga Title Vol 01.cbz", 80000000}}},
    {.name = "Show Season 1 (2010)", .type = kEpisode, .year = 2010, .files = {{"Show.S01E01.avi", 200000000}, {"Show.S01E02.avi", 200000000}}},
    {.name = "Old Series", .type = kEpisode, .files = {{"Disc1/VTS_01_1.VOB", 1000000000},
               {"Disc1/VTS_02_1.VOB", 1000000000},
               {"Old Series E01.mkv", 10},
               {"Old Series E02.mkv", 10}}},
    {.name = "Concert.2019.1080p.BluRay.x264-GRP", .type = kMovie, .files = {{"concert.mkv", 12000000000}, {"bonus/extra.flac", 30000000}}},
    {.name = "Album With Video", .type = kMusic, .files = {{"01.flac", 40000000},
               {"02.flac", 40000000},
               {"03.flac", 40000000},
               {"video.mkv", 20000000}}},
    {.name = "Audiobook Folder", .type = kAudiobook, .files = {{"Part 1.m4b", 300000000}, {"Part 2.m4b", 300000000}, {"cover.jpg", 100000}}},
    {.name = "New Folder (3)", .type = kXxx, .files = {{"Brazzers - Some Performer - Scene Title.mp4", 900000000}, {"thumb.jpg", 100000}}},
    {.name = "My Videos", .type = kMovie, .files = {{"The.Naked.Gun.1988.1080p.BluRay.x264.mkv", 9000000000}}},
    {.name = "Photos 2012", .type = ContentType::kImage, .files = {{"DCIM/IMG_0001.JPG", 3000000},
               {"DCIM/IMG_0002.JPG", 3000000},
               {"DCIM/MVI_0003.MOV", 2000000}}},
};

TEST(ClassifierMixed, FoldersAreClassifiedByTheirFiles) {
  for (const Case& c : kFolders) check_case(c);
}

TEST(ClassifierMixed, DhtStyleNamesParseFieldByField) {
  for (const Case& c : kMixed) check_case(c);
}

}  // namespace
}  // namespace magnetar::indexer::classify::testing
